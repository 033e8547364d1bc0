import FairleadCore
import Foundation

extension AuditProfile {
    /// Where the base profiles of one `extends:` chain may lie: the folder tree of the
    /// profile that was asked for, and the folders ``ProfileReading/allowedFolders`` adds.
    ///
    /// Paths are compared after symbolic links are resolved, so a link inside the tree
    /// that points at `/etc/passwd` is refused like `extends: /etc/passwd` itself, and
    /// before the base is read, so a refused file is never opened (nor quoted).
    struct Confinement {
        /// The profile's folder and the allowed ones, with links resolved.
        let folders: [String]
        let reading: ProfileReading

        init(profile: String, reading: ProfileReading) throws {
            let folder = (profile as NSString).deletingLastPathComponent
            self.folders = ([folder.isEmpty ? "." : folder] + reading.allowedFolders).map(Self.realPath)
            self.reading = reading
        }

        /// Throws unless `path` lies inside one of ``folders``.
        ///
        /// Checked before the base is looked for, on the path as the system would resolve
        /// it whether or not it exists (``realPath(_:)``): a base outside the tree is refused
        /// alike when it exists (`/root/.bashrc`) and when it does not (`/root/.nonexistent`),
        /// so the error tells nothing of the files outside.
        func check(_ path: String, written: String, at location: SourceLocation) throws {
            let real = Self.realPath(path)
            let inside = folders.contains { folder in
                folder == "/" || real == folder || real.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
            }
            guard !inside else { return }
            let allowed = folders.count == 1 ? "the profile's folder (\(folders[0]))"
                : "the profile's folder or an allowed one (\(folders.joined(separator: ", ")))"
            let hint = reading.allowHint.map { "; \($0)" } ?? "; add its folder to ProfileReading.allowedFolders"
            throw ProfileMapping.error("the base profile '\(MessageQuote.clipped(written, limit: 200))' lies outside \(allowed), so it was not read\(hint)",
                                       path: "extends", at: location)
        }

        /// `path` absolute, with `.`, `..` and symbolic links resolved as the system would
        /// resolve them, whether or not the path exists: the part that exists is resolved
        /// link by link (a dangling link too, by its target), and the part that does not
        /// is appended as written, normalized. So `link/x.yaml`, where `link` points at
        /// `/root`, is `/root/x.yaml` whether `/root/x.yaml` exists or not, and a link to
        /// `.` names the folder it lies in. More than 40 links followed (a link to itself)
        /// leaves the rest as written.
        static func realPath(_ path: String) -> String {
            if let resolved = realpath(path, nil) {
                defer { free(resolved) }
                return String(cString: resolved)
            }
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            var pending = Array(absolute.split(separator: "/").map(String.init).reversed())
            var resolved: [String] = []
            var linksFollowed = 0
            var missing = false
            while let part = pending.popLast() {
                if part == "." || part.isEmpty { continue }
                if part == ".." {
                    if !resolved.isEmpty { resolved.removeLast() }
                    continue
                }
                resolved.append(part)
                guard !missing else { continue }
                let candidate = "/" + resolved.joined(separator: "/")
                var status = stat()
                guard lstat(candidate, &status) == 0 else {
                    // Nothing here (or no right to look): the rest is as written.
                    missing = true
                    continue
                }
                guard status.st_mode & S_IFMT == S_IFLNK else { continue }
                linksFollowed += 1
                guard linksFollowed <= 40, let target = linkTarget(candidate) else {
                    missing = true
                    continue
                }
                resolved.removeLast()
                if target.hasPrefix("/") { resolved = [] }
                pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
            }
            return "/" + resolved.joined(separator: "/")
        }

        /// The target of the symbolic link at `path`, as written in the link.
        private static func linkTarget(_ path: String) -> String? {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(path, &buffer, buffer.count - 1)
            guard count > 0 else { return nil }
            return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
