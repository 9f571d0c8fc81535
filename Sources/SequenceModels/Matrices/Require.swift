/// Stops the program with `message` unless `condition` holds, in every build configuration.
///
/// The standard library's `precondition` keeps its message only in debug builds; the core
/// library ships as a release build, and a learner who passes a `[3, 4]` matrix where a
/// `[4, 3]` one belongs must still read both shapes. So every check in the core goes
/// through this function, which reports through `fatalError`.
@inlinable
public func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
