package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// guards are the functions routes.go may hand a route to: each states an access rule.
var guards = map[string]bool{"loggedIn": true, "can": true, "canAny": true, "citizen": true,
	"meeting": true, "meetingCase": true, "offer": true, "feedToken": true, "self": true, "selfEntry": true}

// publicRoutes are the routes before the login: they need no rule.
var publicRoutes = map[string]bool{"/healthz": true, "/login": true, "/static/*": true, "/favicon.ico": true,
	"SSOLoginPath": true, "SSOCallbackPath": true,
	"SAMLMetadataPath": true, "SAMLLoginPath": true, "SAMLACSPath": true, "SAMLContinuePath": true,
	"totpLoginPath": true}

// TestEveryRouteDeclaresItsAccessRule reads routes.go as the policy table it claims to be:
// every route is registered there and nowhere else, and every route behind the login is
// handed to one of the guards, so the rule stands beside the path.
func TestEveryRouteDeclaresItsAccessRule(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !isRouteMethod(sel.Sel.Name) || len(call.Args) < 2 {
				return true
			}
			if recv, ok := sel.X.(*ast.Ident); !ok || recv.Name != "r" {
				if inner, ok := sel.X.(*ast.CallExpr); !ok || !isWith(inner) {
					return true
				}
			}
			pos := fset.Position(call.Pos())
			if name != "routes.go" {
				t.Errorf("%s: a route is registered outside routes.go", pos)
				return true
			}
			routes++
			// r.Method(method, path, h) names the method first.
			pathArg := call.Args[0]
			if sel.Sel.Name == "Method" {
				pathArg = call.Args[1]
			}
			path := string(src[fset.Position(pathArg.Pos()).Offset:fset.Position(pathArg.End()).Offset])
			if publicRoutes[strings.Trim(path, `"`)] {
				return true
			}
			last := call.Args[len(call.Args)-1]
			g, ok := last.(*ast.CallExpr)
			var guard string
			if ok {
				if s, ok := g.Fun.(*ast.SelectorExpr); ok {
					guard = s.Sel.Name
				}
			}
			if !guards[guard] {
				t.Errorf("%s: route %s has no access rule (handler is not passed through a guard: %v)", pos, path, guards)
			}
			return true
		})
	}
	if routes < 50 {
		t.Errorf("found only %d routes in routes.go; the test no longer reads it", routes)
	}
}

func isRouteMethod(name string) bool {
	switch name {
	case "Get", "Post", "Put", "Patch", "Delete", "Head", "Method", "Handle", "HandleFunc":
		return true
	}
	return false
}

// isWith matches r.With(…), whose result registers a route too.
func isWith(c *ast.CallExpr) bool {
	s, ok := c.Fun.(*ast.SelectorExpr)
	return ok && s.Sel.Name == "With"
}
