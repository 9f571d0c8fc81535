#ifndef CMATRIXKERNELS_H
#define CMATRIXKERNELS_H

/// The AVX2 tile of the packed product: 6 rows of C by 16 columns (two panels of 8), kept in 12 ymm registers.
///
/// For r in 0 ..< depth:  C[i, j] += alpha · A[i, r] · B[r, j]  for i < 6, j < 16, where A[i, r] is at
/// a[i·aRowStride + r·aColumnStride], B[r, j] at b[8·r + (j / 8)·panelStride + j % 8] (packed panels), and C[i, j] at
/// c[i·resultRowStride + j]; only the first `columns` columns of C are written (the rest of B is padding).
/// The sums run over r in order, as the Swift tiles' do. Call it only on a processor with AVX2 and FMA.
void sequencemodels_tile_avx2_6x16(long depth, const float *a, long aRowStride, long aColumnStride,
                                   const float *b, long panelStride,
                                   float alpha, float *c, long resultRowStride, long columns);

#endif
