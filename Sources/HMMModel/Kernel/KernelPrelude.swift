/// The built-in model of the Linux kernel side, written in the spec language.
package enum KernelPrelude {
  /// The path under which diagnostics and traces cite the prelude.
  package static let path = "<kernel>/prelude.hmm"
  /// The prelude's text (shipped as a resource of this module).
  package static let source = String(decoding: PackageResources.prelude_hmm, as: UTF8.self)
  package static let file = SourceFile(path: path, text: source)
}
