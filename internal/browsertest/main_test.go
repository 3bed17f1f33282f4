package browsertest_test

import (
	"os"
	"testing"

	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/migrations"
)

// TestMain starts one throwaway PostgreSQL cluster (each test clones its own
// database through apptest.New) and, lazily, one shared Chromium.
func TestMain(m *testing.M) {
	code := testdb.Main(m, migrations.Up, testdb.AfterConnect(store.AsRuntimeRole))
	browsertest.Shutdown()
	os.Exit(code)
}
