import BookedBarberHTTP
import Foundation
import TestSupport
import Testing

extension RealProcessTests {
    /// The token key in the data dir: only an absent `jwt-secret` is created. One that exists but
    /// cannot be read, is not UTF-8 or holds no valid key stops `serve` with status 1 and a
    /// message naming the file, and is left exactly as it was (replacing it would log everyone out).
    @Suite struct JWTSecretFileTests {
        /// Runs `serve` on `directory` and returns its exit status and output; a server that does
        /// not exit within 60 s is killed and reported.
        static func serve(_ directory: String) async throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = ServerProcess.executable
            process.arguments = ["serve", "--port", String(ServerProcess.listeningPort()), "--data-dir", directory]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let exited = await offload(.waiting) { () -> Bool in
                let deadline = Date().addingTimeInterval(60)
                while process.isRunning, Date() < deadline { usleep(20_000) }
                return !process.isRunning
            }
            if !exited {
                process.terminate()
                process.waitUntilExit()
                Issue.record("serve kept running with a bad jwt-secret")
            }
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, output)
        }

        @Test(arguments: [
            ("not UTF-8", [UInt8]([0xFF, 0xFE, 0x00, 0x41]) + Array(repeating: 0x61, count: 80)),
            ("too short", Array("abcdef0123\n".utf8)),
            ("not hex", Array(String(repeating: "zz", count: 40).utf8)),
        ])
        func aMalformedKeyStopsTheStartAndIsLeftAsItWas(kind: String, bytes: [UInt8]) async throws {
            let directory = try makeTemporaryDirectory("bb-jwt")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let path = directory + "/jwt-secret"
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            let (status, output) = try await Self.serve(directory)
            #expect(status == 1, "\(kind): \(output)")
            #expect(output.contains(path), "\(kind): \(output)")
            #expect(FileManager.default.contents(atPath: path) == Data(bytes))
        }

        /// A `jwt-secret` that exists but cannot be read as a file (here: a directory; the tests
        /// run as root, so permission bits would not stop a read).
        @Test func anUnreadableKeyStopsTheStartAndIsLeftAsItWas() async throws {
            let directory = try makeTemporaryDirectory("bb-jwt")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let path = directory + "/jwt-secret"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            let (status, output) = try await Self.serve(directory)
            #expect(status == 1, "\(output)")
            #expect(output.contains("cannot be read"), "\(output)")
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
        }

        /// An absent key is created once, readable by the owner alone, and kept across restarts.
        @Test func anAbsentKeyIsCreatedPrivateAndKept() async throws {
            let directory = try makeTemporaryDirectory("bb-jwt")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let server = ServerProcess(dataDirectory: directory)
            try await server.start()
            let login = ["email": "admin@process.test", "password": "admin-password"]
            let token = try #require(try await HTTP.request("POST", server.base + "/api/v2/auth/login", json: login).json["token"] as? String)
            #expect(server.terminate() == 0)
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/jwt-secret")
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let key = FileManager.default.contents(atPath: directory + "/jwt-secret")
            try await server.start()
            #expect(try await HTTP.request("GET", server.base + "/api/v2/auth/me", token: token).status == 200)
            #expect(server.terminate() == 0)
            #expect(FileManager.default.contents(atPath: directory + "/jwt-secret") == key)
        }
    }
}
