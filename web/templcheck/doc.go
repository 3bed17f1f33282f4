// Package templcheck holds tests over Helhed's templ sources as a whole, read with templ's own
// parser rather than rendered:
//
//   - every CSS class a template uses exists in the vendored DKFDS stylesheet or in
//     css/helhed.css (TestTemplateClassesExist);
//   - every <table> is inside components.TableScroll, the keyboard-reachable scrolling region
//     that keeps its right-hand columns reachable at 320 px (TestTablesScroll).
//
// It has no code of its own; the package exists for its tests.
package templcheck
