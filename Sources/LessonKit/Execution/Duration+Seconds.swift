extension Duration {
    /// The duration in seconds, as the timings the tool prints and records are given.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
