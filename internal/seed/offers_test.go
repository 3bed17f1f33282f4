package seed

import (
	"context"
	"testing"

	"github.com/helhed/helhed/internal/testdb"
)

// The demo catalogue lands with every offer on a unit of the right kind, capacities of 8–20
// seats and start dates on Mondays in the coming months.
func TestDemoOffers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.New(t)
	if _, err := Demo(ctx, pool, Options{Citizens: 5, Seed: 1, Today: testToday}); err != nil {
		t.Fatal(err)
	}
	var n, badCap, badStart, perKind int
	err := pool.QueryRow(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE capacity NOT BETWEEN 8 AND 20),
		       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(start_dates) d
		                                      WHERE d <= $1 OR d > $1 + 200 OR extract(isodow FROM d) <> 1)),
		       count(DISTINCT u.kind)
		FROM offers o JOIN units u ON u.id = o.provider_unit_id`, testToday).Scan(&n, &badCap, &badStart, &perKind)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(demoOffers) || badCap != 0 || badStart != 0 || perKind != 3 {
		t.Fatalf("%d offers (want %d), %d with odd capacity, %d with odd start dates, %d provider kinds (want 3)",
			n, len(demoOffers), badCap, badStart, perKind)
	}
	var wrongKind int
	if err := pool.QueryRow(ctx, `
		SELECT count(*) FROM offers o JOIN units u ON u.id = o.provider_unit_id
		WHERE (o.opgavetype IN ('ot02', 'ot10') AND u.kind <> 'socialforvaltning')
		   OR (o.legal_basis LIKE 'sul_%' AND u.kind <> 'sundhedscenter')
		   OR (o.legal_basis LIKE 'lab_%' AND u.kind <> 'jobcenter')`).Scan(&wrongKind); err != nil || wrongKind != 0 {
		t.Fatalf("%d offers on a unit of the wrong kind, %v", wrongKind, err)
	}
}
