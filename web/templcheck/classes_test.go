package templcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	templparser "github.com/a-h/templ/parser/v2"
)

// stylesheets are where a class may be defined: the vendored design system and our own.
var stylesheets = []string{"static/css/dkfds.min.css", "static/css/helhed.css"}

// jsHookPrefix marks a class that only a script uses to find an element. Such a class needs
// no style, but it must be used by a script in static/js, or it is a hook for nothing.
const jsHookPrefix = "js-"

// A class without a style may also name a part of a page that tests find it by (".citizen-header"):
// it must then appear as a class selector in a Go test (a _test.go file, or the browser test
// harness in internal/browsertest). A class that neither a stylesheet, a script nor a test
// uses does nothing, and goes.
var testSourceDirs = []string{"../../internal", "../../web", "../../cmd"}

// Every CSS class a template puts on an element exists in DKFDS or helhed.css: a misspelt or
// made-up class (text-align-right for DKFDS's align-text-right) silently styles nothing.
//
// Classes are read from every class attribute of every template, conditional ones (`if c {
// class="x" }`) included. A class expression (class={ … }) is evaluated as far as it is
// literal: string constants, concatenations, templ.KV's class name, and calls of functions in
// the template's own package whose results are literal — a `switch v { case "a", "b": return
// "x-" + v }` counts as x-a and x-b. What stays unknown is dropped, except that a literal
// followed by an unknown part ("trend-" + p.Group) must be the beginning of some class.
func TestTemplateClassesExist(t *testing.T) {
	defined := definedClasses(t)
	hooks := hookSources{js: jsSources(t), tests: testSources(t)}
	funcs := map[string]map[string]*ast.FuncDecl{} // package directory -> function name -> decl
	var missing []string
	used := 0
	for _, f := range templFiles(t) {
		if funcs[f.dir] == nil {
			funcs[f.dir] = goFuncs(t, f.dir)
		}
		f.visitElements(func(el *templparser.Element, _ []templparser.Node) {
			for _, a := range attributes(el.Attributes) {
				var values []string
				var at templparser.Range
				switch a := a.(type) {
				case *templparser.ConstantAttribute:
					if a.Key.String() != "class" {
						continue
					}
					values, at = []string{a.Value}, a.Range
				case *templparser.ExpressionAttribute:
					if a.Key.String() != "class" {
						continue
					}
					values, at = classExprValues(t, a.Expression.Value, funcs[f.dir]), a.Range
				default:
					continue
				}
				for _, v := range values {
					for _, word := range strings.Fields(v) {
						used++
						where := f.path + ":" + strconv.Itoa(line(at))
						if problem := checkClass(word, defined, hooks); problem != "" {
							missing = append(missing, where+": "+problem)
						}
					}
				}
			}
		})
	}
	if used < 500 {
		t.Fatalf("read only %d class uses from the templates; the scan is broken", used)
	}
	slices.Sort(missing)
	missing = slices.Compact(missing)
	for _, m := range missing {
		t.Error(m)
	}
}

// unknown stands for a part of a class expression the test cannot know.
const unknown = "\x00"

// checkClass says what is wrong with one class word of a template ("" if nothing). A word
// with an unknown part is checked by its literal beginning.
func checkClass(word string, defined map[string]bool, hooks hookSources) string {
	prefix, _, dynamic := strings.Cut(word, unknown)
	switch {
	case !dynamic && strings.HasPrefix(word, jsHookPrefix):
		if !strings.Contains(hooks.js, word) {
			return "script hook " + strconv.Quote(word) + " is used by no script in static/js"
		}
	case !dynamic:
		if !defined[word] && !hooks.testSelects(word) {
			return "class " + strconv.Quote(word) + " is defined in neither DKFDS nor helhed.css, and no test selects it"
		}
	case prefix == "":
		// wholly unknown (a class passed in): its source is checked where it is a literal
	default:
		for c := range defined {
			if strings.HasPrefix(c, prefix) {
				return ""
			}
		}
		return "no class begins with " + strconv.Quote(prefix) + " (built as " + strconv.Quote(strings.ReplaceAll(word, unknown, "…")) + ")"
	}
	return ""
}

// classSelector is a class in a CSS selector; escaped characters (".w-1\/2") included.
var classSelector = regexp.MustCompile(`\.((?:[A-Za-z_-]|\\.)(?:[A-Za-z0-9_-]|\\.)*)`)

// cssNoise is what may hold a dot that is not a class: comments, strings and url()s.
var cssNoise = regexp.MustCompile(`/\*[\s\S]*?\*/|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|url\([^)]*\)`)

// innermostBlock is a selector (or at-rule prelude) with a block that holds no other block.
var innermostBlock = regexp.MustCompile(`([^{}]*)\{[^{}]*\}`)

// definedClasses reads every class that a selector of the stylesheets names.
func definedClasses(t *testing.T) map[string]bool {
	t.Helper()
	defined := map[string]bool{}
	for _, name := range stylesheets {
		b, err := os.ReadFile(filepath.Join(webDir, name))
		if err != nil {
			t.Fatal(err)
		}
		css := cssNoise.ReplaceAllString(string(b), " ")
		// Declarations are innermost blocks; cutting them out leaves an at-rule's rules as
		// empty blocks, so repeat until nothing is left. Only selectors are read, never
		// declarations (where ".5em" is no class).
		for strings.Contains(css, "{") {
			next := innermostBlock.ReplaceAllStringFunc(css, func(block string) string {
				sel := innermostBlock.FindStringSubmatch(block)[1]
				if s := strings.TrimSpace(sel); !strings.HasPrefix(s, "@") {
					for _, m := range classSelector.FindAllStringSubmatch(sel, -1) {
						defined[strings.ReplaceAll(m[1], `\`, "")] = true
					}
				}
				return ""
			})
			if next == css {
				t.Fatalf("%s: unbalanced braces", name)
			}
			css = next
		}
	}
	for _, c := range []string{"table", "alert", "button", "form-group", "align-text-right", "risk-badge"} {
		if !defined[c] {
			t.Fatalf("the stylesheets define no %q; the CSS scan is broken", c)
		}
	}
	return defined
}

// hookSources are the texts that may use a class without a style.
type hookSources struct {
	js    string // the scripts in static/js
	tests string // the Go tests and the browser test harness
}

// testSelects reports whether a test uses class as a CSS class selector (".name").
func (h hookSources) testSelects(class string) bool {
	return regexp.MustCompile(`\.` + regexp.QuoteMeta(class) + `(?:[^A-Za-z0-9_-]|$)`).MatchString(h.tests)
}

// testSources is the text of every Go test in the module and of the browser test harness.
func testSources(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, dir := range testSourceDirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if strings.HasSuffix(p, "_test.go") || (strings.Contains(filepath.ToSlash(p), "internal/browsertest/") && strings.HasSuffix(p, ".go")) {
				src, err := os.ReadFile(p)
				b.Write(src)
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// jsSources is the text of every script in static/js.
func jsSources(t *testing.T) string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(webDir, "static", "js", "*.js"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(src)
	}
	return b.String()
}

// goFuncs are the hand-written functions of the Go package in dir, by name.
func goFuncs(t *testing.T, dir string) map[string]*ast.FuncDecl {
	t.Helper()
	out := map[string]*ast.FuncDecl{}
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if strings.HasSuffix(p, "_templ.go") || strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				out[fd.Name.Name] = fd
			}
		}
	}
	return out
}

// classExprValues evaluates the Go expression list of a class={ … } attribute to the class
// strings it can produce, with unknown for what it cannot know.
func classExprValues(t *testing.T, expr string, funcs map[string]*ast.FuncDecl) []string {
	t.Helper()
	e, err := parser.ParseExpr("[]any{" + expr + "}")
	if err != nil {
		t.Fatalf("class expression %q: %v", expr, err)
	}
	ev := evaluator{funcs: funcs}
	var out []string
	for _, el := range e.(*ast.CompositeLit).Elts {
		out = append(out, ev.eval(el, nil)...)
	}
	return out
}

// evaluator works out the strings a class expression can produce.
type evaluator struct {
	funcs map[string]*ast.FuncDecl
	depth int
}

// maxValues bounds the combinations of a concatenation.
const maxValues = 64

func (ev *evaluator) eval(e ast.Expr, env map[string][]string) []string {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			if s, err := strconv.Unquote(e.Value); err == nil {
				return []string{s}
			}
		}
	case *ast.ParenExpr:
		return ev.eval(e.X, env)
	case *ast.Ident:
		if vs, ok := env[e.Name]; ok {
			return vs
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			var out []string
			for _, x := range ev.eval(e.X, env) {
				for _, y := range ev.eval(e.Y, env) {
					if len(out) < maxValues {
						out = append(out, x+y)
					}
				}
			}
			return out
		}
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "templ" {
				switch sel.Sel.Name {
				case "KV": // templ.KV(class, condition)
					if len(e.Args) > 0 {
						return ev.eval(e.Args[0], env)
					}
				case "Classes":
					var out []string
					for _, a := range e.Args {
						out = append(out, ev.eval(a, env)...)
					}
					return out
				}
			}
		}
		if id, ok := e.Fun.(*ast.Ident); ok {
			if fd := ev.funcs[id.Name]; fd != nil && ev.depth < 4 {
				return ev.results(fd)
			}
		}
	}
	return []string{unknown}
}

// results are the strings a function can return: every return statement's value, with the
// tag of an enclosing `switch v` standing for its case's literals.
func (ev *evaluator) results(fd *ast.FuncDecl) []string {
	ev.depth++
	defer func() { ev.depth-- }()
	var out []string
	var stmts func(list []ast.Stmt, env map[string][]string)
	stmts = func(list []ast.Stmt, env map[string][]string) {
		for _, s := range list {
			switch s := s.(type) {
			case *ast.ReturnStmt:
				if len(s.Results) == 1 {
					out = append(out, ev.eval(s.Results[0], env)...)
				}
			case *ast.IfStmt:
				stmts(s.Body.List, env)
				if s.Else != nil {
					stmts([]ast.Stmt{s.Else}, env)
				}
			case *ast.BlockStmt:
				stmts(s.List, env)
			case *ast.SwitchStmt:
				tag, _ := s.Tag.(*ast.Ident)
				for _, c := range s.Body.List {
					cc := c.(*ast.CaseClause)
					inner := env
					if tag != nil && len(cc.List) > 0 {
						var lits []string
						for _, v := range cc.List {
							lits = append(lits, ev.eval(v, nil)...)
						}
						inner = map[string][]string{tag.Name: lits}
						for k, v := range env {
							if k != tag.Name {
								inner[k] = v
							}
						}
					}
					stmts(cc.Body, inner)
				}
			}
		}
	}
	stmts(fd.Body.List, nil)
	return out
}
