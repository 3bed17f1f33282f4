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
// database through apptest.New) and, lazily, one shared Chromium. The child
// test binary of TestHarnessFailsCleanly runs without the cluster.
func TestMain(m *testing.M) {
	if os.Getenv(harnessChild) != "" { // TestHarnessFailsCleanly's child needs no database
		code := m.Run()
		browsertest.Shutdown()
		os.Exit(code)
	}
	code := testdb.Main(m, migrations.Up, testdb.AfterConnect(store.AsRuntimeRole))
	browsertest.Shutdown()
	os.Exit(code)
}
