package components

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// The scrolling container is a named region in the Tab order, around the table it is given.
func TestTableScroll(t *testing.T) {
	table := templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, `<table class="table"><caption>Borgere</caption></table>`)
		return err
	})
	out, _ := render(t, templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return TableScroll("Borgere & sager").Render(templ.WithChildren(ctx, table), w)
	}))
	for _, want := range []string{`<div class="table--responsive-scroll" role="region" aria-label="Borgere &amp; sager" tabindex="0">`,
		`<table class="table"><caption>Borgere</caption></table></div>`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}
