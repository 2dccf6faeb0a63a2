package dates

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRuleWords checks that every word the grammar's source names is one
// the lexicon marks as read: scan skips the tokens before a word that no
// rule reads, so a rule that reads a word left out of ruleWords (and of the
// tables) would silently miss its dates.
func TestRuleWords(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := goparser.ParseFile(fset, name, nil, goparser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "String" {
				continue // names of values, not words of the text
			}
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				continue
			}
			ast.Inspect(d, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				w, err := strconv.Unquote(lit.Value)
				if err != nil || w == "" || strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
					return true
				}
				if !lexicon[w].read {
					t.Errorf("%s: %q is read by the grammar but not in ruleWords or a table", fset.Position(lit.Pos()), w)
				}
				return true
			})
		}
	}
}
