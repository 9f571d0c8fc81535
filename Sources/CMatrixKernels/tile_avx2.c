#include "CMatrixKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

// The final C += alpha · sum is a multiply, then an add, as in the Swift tiles that handle the other rows:
// a fused one would round differently, and a row's results would depend on which tile computed it.
#pragma clang fp contract(off)

// Written in C with intrinsics, because it must keep its twelve sums, two rows of B and a broadcast of A in
// fifteen of the sixteen ymm registers: the Swift tile, generic over its shape, spills them to the stack
// with AVX2. The target attribute compiles this function alone for AVX2 with FMA.
__attribute__((target("avx2,fma")))
void sequencemodels_tile_avx2_6x16(long depth, const float *a, long aRowStride, long aColumnStride,
                                   const float *b, long panelStride,
                                   float alpha, float *c, long resultRowStride, long columns) {
    __m256 s00 = _mm256_setzero_ps(), s01 = _mm256_setzero_ps(), s10 = _mm256_setzero_ps(), s11 = _mm256_setzero_ps();
    __m256 s20 = _mm256_setzero_ps(), s21 = _mm256_setzero_ps(), s30 = _mm256_setzero_ps(), s31 = _mm256_setzero_ps();
    __m256 s40 = _mm256_setzero_ps(), s41 = _mm256_setzero_ps(), s50 = _mm256_setzero_ps(), s51 = _mm256_setzero_ps();
    // C's six rows are read at the end, after the whole depth: ask for them now, so that they are in cache then.
    for (int i = 0; i < 6; i++) {
        _mm_prefetch((const char *)(c + i * resultRowStride), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * resultRowStride + 15), _MM_HINT_T0);
    }
    const long r1 = aRowStride, r2 = 2 * aRowStride, r3 = 3 * aRowStride, r4 = 4 * aRowStride, r5 = 5 * aRowStride;
    for (long r = 0; r < depth; r++) {
        const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + panelStride);
        __m256 x = _mm256_broadcast_ss(a);
        s00 = _mm256_fmadd_ps(x, b0, s00); s01 = _mm256_fmadd_ps(x, b1, s01);   // C[i, j] += A[i, r] · B[r, j]
        x = _mm256_broadcast_ss(a + r1);
        s10 = _mm256_fmadd_ps(x, b0, s10); s11 = _mm256_fmadd_ps(x, b1, s11);
        x = _mm256_broadcast_ss(a + r2);
        s20 = _mm256_fmadd_ps(x, b0, s20); s21 = _mm256_fmadd_ps(x, b1, s21);
        x = _mm256_broadcast_ss(a + r3);
        s30 = _mm256_fmadd_ps(x, b0, s30); s31 = _mm256_fmadd_ps(x, b1, s31);
        x = _mm256_broadcast_ss(a + r4);
        s40 = _mm256_fmadd_ps(x, b0, s40); s41 = _mm256_fmadd_ps(x, b1, s41);
        x = _mm256_broadcast_ss(a + r5);
        s50 = _mm256_fmadd_ps(x, b0, s50); s51 = _mm256_fmadd_ps(x, b1, s51);
        a += aColumnStride;
        b += 8;                                                                   // the panels' next row
    }
    const __m256 scale = _mm256_set1_ps(alpha);
    __m256 sums[6][2] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}, {s40, s41}, {s50, s51}};
    for (int i = 0; i < 6; i++) {
        float *row = c + i * resultRowStride;
        for (int p = 0; p < 2; p++) {
            const long valid = columns - 8 * p;
            if (valid >= 8) {
                _mm256_storeu_ps(row + 8 * p, _mm256_add_ps(_mm256_loadu_ps(row + 8 * p), _mm256_mul_ps(scale, sums[i][p])));
            } else if (valid > 0) {                                  // the last panel, padded with zeros
                float lanes[8];
                _mm256_storeu_ps(lanes, sums[i][p]);
                for (long j = 0; j < valid; j++) row[8 * p + j] += alpha * lanes[j];
            }
        }
    }
}

#endif
