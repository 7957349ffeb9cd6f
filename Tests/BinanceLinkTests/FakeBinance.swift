import Foundation

/// The fake exchange of Tests/FakeBinance/fake_binance.py, on 127.0.0.1 and a free port, for
/// the time of one test.
final class FakeBinance {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let key = "test-key"
    static let secret = "test-secret-never-printed"

    let process = Process()
    let port: Int
    let dir: URL

    init(interval: Double = 0.1) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("fake-binance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let portFile = dir.appendingPathComponent("port")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.repoRoot.appendingPathComponent("Tests/FakeBinance/fake_binance.py").path,
                             "--fixtures", Self.repoRoot.appendingPathComponent("Tests/Fixtures/binance").path,
                             "--port-file", portFile.path, "--key", Self.key, "--secret", Self.secret, "--interval", "\(interval)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<100 where found == nil {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) { found = Int(text) }
            if found == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let found else {
            process.terminate()
            throw CocoaError(.fileReadNoSuchFile)
        }
        port = found
    }

    var rest: String { "http://127.0.0.1:\(port)" }
    var webSocket: String { "ws://127.0.0.1:\(port)" }

    /// `/_control?…`: price=SYM:P, rest=ok|401|429|500|skew, ws=normal|silent|malformed, drop=1.
    func control(_ query: String) throws {
        _ = try get("/_control?\(query)")
    }

    /// `/_state` as JSON.
    func state() throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: try get("/_state")) as? [String: Any]) ?? [:]
    }

    /// A plain HTTP/1.0 GET over a socket: the tests' own requests stay out of the HTTP stacks
    /// under test (and out of Foundation's URL loading, which blocks on the test runner's threads).
    private func get(_ path: String) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else { throw POSIXError(.EIO) }
        return response[split.upperBound...]
    }

    /// Ends the server. (Not `waitUntilExit`: on Linux it waits on a run loop that a test's
    /// thread never runs.)
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        _ = Self.eventually(3) { !process.isRunning }
        try? FileManager.default.removeItem(at: dir)
    }

    /// Waits up to `seconds` for `condition`.
    static func eventually(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }
}
