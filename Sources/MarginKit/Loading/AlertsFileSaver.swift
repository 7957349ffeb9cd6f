import Foundation

/// Writes new alert levels into a portfolio file so that the user's file is never damaged:
///
/// 1. the file must still hold the text the monitor loaded (else it changed on disk: refused);
/// 2. it must be writable (a read-only file is refused, even for root);
/// 3. the edited text is loaded back with the same loader and must hold exactly the new
///    levels and everything else unchanged (else refused);
/// 4. it is written to a temporary file in the same folder, flushed to disk, given the
///    original's mode (and owner where allowed), and renamed over the file — over a symlink's
///    *target*, so the link stays a link;
/// 5. the result is read back and compared.
/// Any refusal leaves the file untouched and says why in one sentence.
public enum AlertsFileSaver {
    public struct Saved: Sendable, Equatable {
        /// The file written (a symlink's target).
        public var path: String
        /// Its new text: what the monitor now holds as "loaded".
        public var text: String
    }

    /// Saves `levels` into the file at `path`.
    /// - Parameters:
    ///   - loadedText: the file's text when it was loaded (nil: the file is new — the demo's copy —
    ///     and `template` is its text; an existing file there is then refused).
    ///   - template: the text to edit when the file does not exist yet.
    /// - Throws: `MarginWatchError` with a sentence for the user.
    public static func save(_ levels: AlertThresholds, to path: String, loadedText: String?, template: String? = nil) throws -> Saved {
        let target = resolvedTarget(path)
        let name = path
        var info = stat()
        let exists = lstat(target, &info) == 0
        let current: String
        if let loadedText {
            guard exists else {
                throw MarginWatchError.cannotOpen(path: name, reason: "not saved: the file no longer exists (moved or deleted since it was loaded)")
            }
            guard let data = FileManager.default.contents(atPath: target), let text = String(data: data, encoding: .utf8) else {
                throw MarginWatchError.cannotOpen(path: name, reason: "not saved: the file cannot be read back")
            }
            guard text == loadedText else {
                throw MarginWatchError.invalidContent(SourceLocation(file: name),
                    "not saved: the file changed on disk since it was loaded; restart the monitor to load it")
            }
            guard info.st_mode & 0o222 != 0, access(target, W_OK) == 0 else {
                throw MarginWatchError.cannotOpen(path: name, reason: "not saved: the file is read-only")
            }
            // A rename gives the path a new file: other hard links would keep the old text.
            guard info.st_nlink <= 1 else {
                throw MarginWatchError.cannotOpen(path: name, reason: "not saved: the file has other hard links, which would keep the old levels")
            }
            current = text
        } else {
            guard !exists else {
                throw MarginWatchError.cannotOpen(path: name, reason: "not saved: a file of that name already exists (open it with --portfolio to change its levels)")
            }
            current = template ?? ""
        }
        // `update` loads its result back and refuses unless only the levels changed.
        let edited = try AlertsFileEditor.update(text: current, with: levels, name: name)
        try replace(target, with: edited, like: exists ? info : nil, name: name)
        guard let back = FileManager.default.contents(atPath: target), String(data: back, encoding: .utf8) == edited else {
            throw MarginWatchError.cannotOpen(path: name, reason: "saved, but reading the file back gave other text; check it")
        }
        return Saved(path: target, text: edited)
    }

    /// The file a path finally names (following symlinks); the path itself when it does not exist.
    static func resolvedTarget(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// Writes `text` beside `target` and renames it over: a crash midway leaves the old file whole.
    static func replace(_ target: String, with text: String, like original: stat?, name: String) throws {
        let folder = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/.\(base).marginwatch-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw MarginWatchError.cannotOpen(path: name, reason: "not saved: cannot create a file in its folder (\(String(cString: strerror(errno))))")
        }
        let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var done = false
        defer {
            if !done { close(fd); unlink(temp) }
        }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                throw MarginWatchError.cannotOpen(path: name, reason: "not saved: writing failed (\(String(cString: strerror(errno))))")
            }
            written += n
        }
        let mode = original.map { $0.st_mode & 0o7777 } ?? (0o666 & ~currentUmask())
        guard fchmod(fd, mode) == 0 else {
            throw MarginWatchError.cannotOpen(path: name, reason: "not saved: cannot give the new file the old one's mode")
        }
        if let original, original.st_uid != geteuid() || original.st_gid != getegid() {
            // Only root or the owner may keep the owner: a save must not hand the file to us.
            guard fchown(fd, original.st_uid, original.st_gid) == 0 else {
                throw MarginWatchError.cannotOpen(path: name, reason: "not saved: the file belongs to another user, whose ownership a save would take away")
            }
        }
        guard fsync(fd) == 0 else {
            throw MarginWatchError.cannotOpen(path: name, reason: "not saved: flushing to disk failed (\(String(cString: strerror(errno))))")
        }
        close(fd)
        done = true
        defer { unlink(temp) }  // after a rename there is nothing left to remove; after a link, the temp name
        if let original {
            // Last look: the file must still be the one read (no other save slipped in meanwhile).
            var now = stat()
            guard lstat(target, &now) == 0, now.st_ino == original.st_ino, now.st_size == original.st_size,
                  now.st_mtim.tv_sec == original.st_mtim.tv_sec, now.st_mtim.tv_nsec == original.st_mtim.tv_nsec else {
                throw MarginWatchError.invalidContent(SourceLocation(file: name), "not saved: the file changed on disk while saving")
            }
            guard rename(temp, target) == 0 else {
                throw MarginWatchError.cannotOpen(path: name, reason: "not saved: cannot replace the file (\(String(cString: strerror(errno))))")
            }
        } else {
            // A new file: a link never replaces one that appeared meanwhile.
            guard link(temp, target) == 0 else {
                throw MarginWatchError.cannotOpen(path: name, reason: "not saved: cannot create the file (\(String(cString: strerror(errno))))")
            }
        }
        let dir = open(folder.isEmpty ? "." : folder, O_RDONLY)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}
