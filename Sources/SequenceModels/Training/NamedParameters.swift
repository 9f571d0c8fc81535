/// The parameters of a model's layers as one flat list, each layer's share under its name.
///
/// Optimizers and ``clipByGlobalNorm(_:maxNorm:)`` take one list, ``all``, in the order the layers were
/// named; each layer then takes its own back by name, so that no code counts positions:
///
///     var parameters = NamedParameters(["lstm": lstm.parameters, "head": head.parameters])
///     optimizer.step(&parameters.all, gradients)        // gradients in the same order: the LSTM's, then the head's
///     lstm.parameters = parameters["lstm"]
///     head.parameters = parameters["head"]
public struct NamedParameters<Scalar: MatrixScalar>: Sendable {
    /// Every layer's parameters, one after another, in the order the layers were named.
    public var all: [Matrix<Scalar>]
    /// Where each layer's parameters lie in ``all``.
    private let places: [(name: String, range: Range<Int>)]

    /// The layers' parameters, in order, under their names.
    public init(_ layers: KeyValuePairs<String, [Matrix<Scalar>]>) {
        self.init(layers.flatMap(\.value), counts: layers.map { ($0.key, $0.value.count) })
    }

    /// `all`, cut into the layers' shares: as many matrices for each as `layers` lists for it.
    public init(_ all: [Matrix<Scalar>], splitLike layers: KeyValuePairs<String, [Matrix<Scalar>]>) {
        self.init(all, counts: layers.map { ($0.key, $0.value.count) })
    }

    private init(_ all: [Matrix<Scalar>], counts: [(String, Int)]) {
        var places: [(name: String, range: Range<Int>)] = [], start = 0
        for (name, count) in counts {
            require(!places.contains { $0.name == name }, "NamedParameters: the name \"\(name)\" is given twice")
            places.append((name, start ..< start + count))
            start += count
        }
        require(all.count == start, "NamedParameters: \(all.count) matrices for layers that have \(start)")
        self.all = all
        self.places = places
    }

    /// The parameters of the layer named `name`, as they now are in ``all``.
    public subscript(name: String) -> [Matrix<Scalar>] {
        guard let place = places.first(where: { $0.name == name }) else {
            fatalError("NamedParameters: no layer named \"\(name)\"; the names are \(places.map(\.name).joined(separator: ", "))")
        }
        require(all.count == places.last!.range.upperBound, "NamedParameters: all now has \(all.count) matrices, not \(places.last!.range.upperBound)")
        return Array(all[place.range])
    }
}
