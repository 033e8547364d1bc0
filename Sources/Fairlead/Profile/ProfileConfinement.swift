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

        /// Throws unless `path` (an existing file) lies inside one of ``folders``.
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

        /// `path` absolute, with `.`, `..` and symbolic links resolved; the path made
        /// absolute and normalized when it does not exist.
        static func realPath(_ path: String) -> String {
            if let resolved = realpath(path, nil) {
                defer { free(resolved) }
                return String(cString: resolved)
            }
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return AuditProfile.lexicallyNormalized(absolute)
        }
    }
}
