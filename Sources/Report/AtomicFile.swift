import Foundation

/// Writes files so that a reader never sees a half-written one: the text goes to a
/// temporary file in the same directory, which is then renamed over the target (rename(2)
/// is atomic within a file system). On any error the temporary file is removed.
package enum AtomicFile {
  /// Writes `text` to `path` atomically.
  ///
  /// - Throws: `InputError` naming the path when the file cannot be written.
  package static func write(_ text: String, to path: String) throws(InputError) {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    let temporary =
      "\(directory)/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let data = Data(text.utf8)
    guard FileManager.default.createFile(atPath: temporary, contents: data) else {
      throw InputError("\(path): error: cannot write the file")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw InputError("\(path): error: cannot write the file (\(reason))")
    }
  }
}
