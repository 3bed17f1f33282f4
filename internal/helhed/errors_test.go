package helhed

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestErrorCodeAndMessage(t *testing.T) {
	cause := errors.New("pq: connection refused")
	tests := []struct {
		name string
		err  error
		code Code
		msg  string
	}{
		{"nil", nil, "", ""},
		{"plain error is internal and hidden", cause, EInternal, "Der opstod en intern fejl. Prøv igen senere"},
		{"Errorf", Errorf(EInvalid, "Datoen %s findes ikke", "31.02"), EInvalid, "Datoen 31.02 findes ikke"},
		{"wrapped with %w", fmt.Errorf("load case: %w", Errorf(EForbidden, "Sagen tilhører et andet jobcenter")), EForbidden, "Sagen tilhører et andet jobcenter"},
		{"no message uses the default", &Error{Code: EConflict}, EConflict, "Posten er blevet ændret i mellemtiden. Genindlæs siden og prøv igen"},
		{"zero code is internal", &Error{Err: cause}, EInternal, "Der opstod en intern fejl. Prøv igen senere"},
		{"unknown code is internal", &Error{Code: "teapot"}, EInternal, "Der opstod en intern fejl. Prøv igen senere"},
		{"sentinel", ErrNotFound, ENotFound, "Siden eller posten findes ikke"},
		{"CPR error", &CPRError{Kind: CPRBadFormat}, EInvalid, "CPR-nummeret skal have formen DDMMÅÅ-XXXX"},
		{"wrapped CPR error", fmt.Errorf("search: %w", &CPRError{Kind: CPRBadDate, Date: "31.13.99"}), EInvalid, "CPR-nummerets dato findes ikke (31.13.99)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			type view struct {
				Code Code
				Msg  string
			}
			if diff := cmp.Diff(view{tt.code, tt.msg}, view{ErrorCode(tt.err), ErrorMessage(tt.err)}); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorIsAndUnwrap(t *testing.T) {
	cause := errors.New("sql: no rows in result set")
	err := fmt.Errorf("find citizen: %w", &Error{Code: ENotFound, Message: "Borgeren findes ikke", Err: cause})
	if !errors.Is(err, ErrNotFound) {
		t.Error("a not-found error with its own message should match ErrNotFound")
	}
	if !errors.Is(err, cause) {
		t.Error("the cause should be reachable")
	}
	if errors.Is(Errorf(EInvalid, "x"), ErrNotFound) {
		t.Error("an invalid error matched ErrNotFound")
	}
	// A sentinel with a message of its own is one error, not a class: another error of the
	// same code (a field error, another sentinel) is not it, however it is wrapped.
	withdrawn := &Error{Code: EInvalid, Message: "Sagen er taget af dagsordenen"}
	recorded := &Error{Code: EInvalid, Message: "Svaret er registreret"}
	if errors.Is(recorded, withdrawn) || errors.Is(&Error{Code: EInvalid, Fields: map[string]string{"x": "Skal udfyldes"}}, withdrawn) {
		t.Error("an invalid error matched a different sentinel of the same code")
	}
	if !errors.Is(fmt.Errorf("record: %w", withdrawn), withdrawn) {
		t.Error("a wrapped sentinel does not match itself")
	}
	if !errors.Is(withdrawn, &Error{Code: EInvalid}) {
		t.Error("a sentinel does not match its bare class")
	}
	if got, want := err.Error(), "find citizen: Borgeren findes ikke: sql: no rows in result set"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := (&Error{Code: EConflict}).Error(), "helhed: conflict"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
