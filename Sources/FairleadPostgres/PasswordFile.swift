import FairleadCore
import Foundation

/// The PostgreSQL password file (`~/.pgpass`, or the file `PGPASSFILE` names), read as
/// libpq reads it: lines `hostname:port:database:username:password`, `*` matching any
/// value, `\:` and `\\` escaping, `#` starting a comment line; the first line that
/// matches gives the password. A file that group or others can read is ignored, with a
/// warning, as libpq does; so is one that is not a regular file.
///
/// The password is never printed: messages name the file and the line only.
struct PasswordFile {
    /// One line's five fields.
    struct Entry: Equatable {
        var host: String
        var port: String
        var database: String
        var user: String
        var password: String

        func matches(host: String, port: Int, database: String, user: String) -> Bool {
            func field(_ pattern: String, _ value: String) -> Bool { pattern == "*" || pattern == value }
            return field(self.host, host) && field(self.port, String(port)) && field(self.database, database)
                && field(self.user, user)
        }
    }

    var path: String
    var entries: [Entry]

    /// Bytes a password file may hold; a larger one is refused.
    static let maxBytes = 1 << 20

    /// The file libpq would read: `PGPASSFILE`, else `~/.pgpass`.
    static func defaultPath(environment: [String: String]) -> String? {
        if let named = environment["PGPASSFILE"], !named.isEmpty { return named }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.pgpass"
    }

    /// The file at `path`, or `nil` (with `warning` called) when it is missing, not a
    /// regular file, or readable by group or others.
    static func load(path: String, warning: (String) -> Void) throws -> PasswordFile? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            warning("password file \(path) is not a plain file; it is ignored")
            return nil
        }
        guard status.st_mode & (S_IRWXG | S_IRWXO) == 0 else {
            warning("password file \(path) has group or world access; it is ignored (chmod 0600 \(path))")
            return nil
        }
        var limits = Limits()
        limits.maxFileBytes = maxBytes
        let data = try BoundedFile.read(path, limits: limits, kind: .usage, what: "password file")
        guard let text = String(data: data, encoding: .utf8) else {
            throw FairleadError(.usage, "the password file is not UTF-8 text", at: SourceLocation(file: path))
        }
        return PasswordFile(path: path, entries: parse(text))
    }

    /// The lines of a password file; a line with fewer than five fields is skipped, as
    /// libpq skips it.
    static func parse(_ text: String) -> [Entry] {
        var entries: [Entry] = []
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if line.hasPrefix("#") { continue }
            var fields: [String] = []
            var current = ""
            var escaped = false
            for character in line {
                if escaped {
                    current.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 4 {
                    fields.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
            fields.append(current)
            guard fields.count == 5 else { continue }
            entries.append(Entry(host: fields[0], port: fields[1], database: fields[2], user: fields[3], password: fields[4]))
        }
        return entries
    }

    /// The password of the first matching line.
    func password(host: String, port: Int, database: String, user: String) -> String? {
        entries.first { $0.matches(host: host, port: port, database: database, user: user) }?.password
    }
}
