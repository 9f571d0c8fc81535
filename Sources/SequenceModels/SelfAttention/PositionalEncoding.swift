#if canImport(Glibc)
import Glibc
#endif

/// Sinusoidal positional encoding (Vaswani et al., 2017): a fixed vector per position, added to the embeddings.
///
///     PE[pos, 2i]     = sin(pos / 10000^(2i/d))
///     PE[pos, 2i + 1] = cos(pos / 10000^(2i/d))        pos = 0, 1, …, i = 0 … d/2 − 1
///
/// Self-attention is blind to order: permuting its inputs permutes its outputs. Adding PE gives each
/// position its own signature. Each pair of columns is a rotation at its own frequency, from 1 down to
/// 1/10000 radians per position, so PE[pos + k] is a fixed linear function of PE[pos] for every pos.
public enum PositionalEncoding {
    /// The `[positions, dimension]` table; `dimension` must be even.
    public static func sinusoidal<Scalar: MatrixScalar>(positions: Int, dimension: Int, as _: Scalar.Type = Scalar.self) -> Matrix<Scalar> {
        require(dimension % 2 == 0, "positional encoding: the dimension \(dimension) must be even")
        var table = Matrix<Scalar>(rows: positions, columns: dimension)
        for pos in 0..<positions {
            for i in 0..<dimension / 2 {
                let angle = Double(pos) / Double.pow(10_000, Double(2 * i) / Double(dimension))
                table[pos, 2 * i] = Scalar(sin(angle))
                table[pos, 2 * i + 1] = Scalar(cos(angle))
            }
        }
        return table
    }

    /// `table`'s first T rows added to every example of a batch-major `[B·T, d]` input.
    public static func adding<Scalar: MatrixScalar>(_ table: Matrix<Scalar>, to x: Matrix<Scalar>, batch: Int) -> Matrix<Scalar> {
        let steps = x.rows / batch, d = x.columns
        require(x.rows == steps * batch && steps <= table.rows && d == table.columns,
                "positional encoding: input \(x.shape) for \(batch) examples needs a table of at least [\(steps), \(d)], not \(table.shape)")
        var result = x
        for b in 0..<batch {
            for k in 0..<steps * d { result.scalars[b * steps * d + k] += table.scalars[k] }
        }
        return result
    }
}
