// Package helhed holds the domain of Helhed: the types and rules for
// screening citizens on public benefits into risk groups, mentor periods and
// referrals to health and social offers.
//
// The package does no I/O and imports nothing else from this module, so the
// rules can be tested exhaustively and reused by every adapter (web, store,
// jobs). Legal parameters that change when the law changes — thresholds,
// period lengths — are passed in as values loaded from reference tables;
// the Default* constructors only exist to seed those tables and to test.
//
// Code identifiers are English; every message meant for a user is Danish.
package helhed
