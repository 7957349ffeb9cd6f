import Foundation

/// A value behind a lock, for the little state threads share (the symbol table, a tape scan's
/// result).
///
/// `@unchecked Sendable` is safe here: `value` is private and touched only inside `withLock`,
/// which holds `lock` for the whole access, so no two threads ever see it at once. (A pthread
/// lock rather than the standard library's `Mutex`: ThreadSanitizer understands pthread locks,
/// while `Mutex` on Linux is a bare futex it cannot see, which it reports as races.)
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
