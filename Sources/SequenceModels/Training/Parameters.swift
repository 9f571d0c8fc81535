/// Weight matrices under their names, in order: a layer's parameters, or a whole model's, or their gradients.
///
/// The names are PyTorch's: a recurrent layer's are `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`, a
/// linear layer's `weight` and `bias`. A model names each layer's share by prefixing it with the
/// layer's name, as PyTorch's `state_dict` does (`lstm.weight_ih`, `head.bias`), and each layer takes
/// its own back by that name:
///
///     var parameters = Parameters(layers: ["lstm": lstm.parameters, "head": head.parameters])
///     var gradients = Parameters(layers: ["lstm": lstmGradients.parameterGradients, "head": headGradients.parameterGradients])
///     optimizer.step(&parameters, gradients)        // refuses gradients whose names differ from the parameters'
///     lstm.parameters = parameters.layer("lstm")
///     head.parameters = parameters.layer("head")
///
/// Iterating gives the matrices in order, like PyTorch's `parameters()`; ``names`` gives their names,
/// like `named_parameters()`. There is no access by position: a matrix is read and written by its name.
public struct Parameters<Scalar: MatrixScalar>: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral,
    CustomStringConvertible
{
    /// The names, in order, each given once.
    public private(set) var names: [String]
    /// The matrices, in the order of ``names``. Optimizers and clipping update them in place; they first
    /// check the names (``mismatch(with:)``).
    var matrices: [Matrix<Scalar>]

    /// `matrices` under `names`, one name for each and no name twice.
    public init(names: [String], matrices: [Matrix<Scalar>]) {
        require(names.count == matrices.count, "Parameters: \(names.count) names for \(matrices.count) matrices")
        for (k, name) in names.enumerated() {
            require(!names[..<k].contains(name), "Parameters: the name \"\(name)\" is given twice")
        }
        self.names = names
        self.matrices = matrices
    }

    /// `["weight": w, "bias": b]`: the matrices under their names, in the order written.
    public init(dictionaryLiteral elements: (String, Matrix<Scalar>)...) {
        self.init(names: elements.map(\.0), matrices: elements.map(\.1))
    }

    /// The layers' parameters one after another, each name prefixed by its layer's: `lstm.weight_ih`.
    public init(layers: KeyValuePairs<String, Parameters>) {
        self.init(layers: layers.map { ($0.key, $0.value) })
    }

    /// The layers' parameters one after another, each name prefixed by its layer's (`layers.0.weight_ih`):
    /// for layers counted at run time, as in ``Stacked``.
    public init(layers: [(name: String, parameters: Parameters)]) {
        self.init(names: layers.flatMap { layer in layer.parameters.names.map { "\(layer.name).\($0)" } },
                  matrices: layers.flatMap(\.parameters.matrices))
    }

    /// How many matrices there are.
    public var count: Int { names.count }
    public var isEmpty: Bool { names.isEmpty }
    /// How many numbers all the matrices hold together.
    public var scalarCount: Int { matrices.reduce(0) { $0 + $1.scalars.count } }

    public func makeIterator() -> IndexingIterator<[Matrix<Scalar>]> { matrices.makeIterator() }
    public var underestimatedCount: Int { count }

    /// The matrix named `name`; setting it replaces that matrix, which must exist.
    public subscript(name: String) -> Matrix<Scalar> {
        get { matrices[place(of: name)] }
        set { matrices[place(of: name)] = newValue }
    }

    private func place(of name: String) -> Int {
        guard let k = names.firstIndex(of: name) else {
            fatalError("Parameters: no matrix named \"\(name)\"; there are \(description)")
        }
        return k
    }

    /// The share of the layer named `layer`: the matrices whose names start with `layer.`, without that prefix.
    public func layer(_ layer: String) -> Parameters {
        let prefix = layer + "."
        let mine = names.indices.filter { names[$0].hasPrefix(prefix) }
        require(!mine.isEmpty, "Parameters: no layer named \"\(layer)\"; there are \(description)")
        return Parameters(names: mine.map { String(names[$0].dropFirst(prefix.count)) }, matrices: mine.map { matrices[$0] })
    }

    /// These matrices, then `other`'s, whose names must all differ from these.
    public func appending(_ other: Parameters) -> Parameters {
        Parameters(names: names + other.names, matrices: matrices + other.matrices)
    }

    /// The same names, each with `transform` of its matrix.
    public func mapValues(_ transform: (Matrix<Scalar>) throws -> Matrix<Scalar>) rethrows -> Parameters {
        Parameters(names: names, matrices: try matrices.map(transform))
    }

    /// Why these matrices cannot stand for `expected`'s: the first place where a name, or a shape, differs,
    /// as in `got bias_hh [1, 8] where bias_ih [1, 8] is expected`. Nil when both have the same names,
    /// in the same order, with the same shapes.
    public func mismatch(with expected: Parameters) -> String? {
        for k in 0..<Swift.max(count, expected.count) {
            if k < count && k < expected.count && names[k] == expected.names[k]
                && matrices[k].shape == expected.matrices[k].shape { continue }
            let mine = k < count ? "\(names[k]) \(matrices[k].shape)" : "nothing"
            let theirs = k < expected.count ? "\(expected.names[k]) \(expected.matrices[k].shape)" : "nothing"
            return "got \(mine) where \(theirs) is expected"
        }
        return nil
    }

    /// Stops, with `context` and the first mismatch, unless these matrices can stand for `expected`'s
    /// (``mismatch(with:)``): `SGD: the gradients do not match the parameters: got bias_hh [1, 8] where …`.
    func requireMatching(_ expected: Parameters, _ context: @autoclosure () -> String) {
        let mismatch = mismatch(with: expected)
        require(mismatch == nil, "\(context()): \(mismatch ?? "")")
    }

    /// Adds `other`'s matrices to these, name by name: the names and shapes must be the same (``mismatch(with:)``).
    public static func += (sum: inout Parameters, other: Parameters) {
        other.requireMatching(sum, "Parameters +=")
        for k in sum.matrices.indices { sum.matrices[k] += other.matrices[k] }
    }

    /// Each name with its shape: `weight [3, 2], bias [1, 3]`.
    public var description: String {
        count == 0 ? "no matrices" : zip(names, matrices).map { "\($0) \($1.shape)" }.joined(separator: ", ")
    }
}
