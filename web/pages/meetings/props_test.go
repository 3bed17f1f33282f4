package meetings

import "testing"

// The board's announcement gives the case's place on the agenda and, only where the screen
// shows it, the citizen's name.
func TestBoardAnnouncement(t *testing.T) {
	agenda := make([]AgendaCase, 7)
	for _, tc := range []struct {
		focus *BoardCase
		want  string
	}{
		{nil, "Ingen sag på skærmen"},
		{&BoardCase{Position: 3, Name: "Anna Jensen", Age: 41, Question: "Jobafklaring?"}, "Sag 3 af 7: Anna Jensen"},
		{&BoardCase{Position: 3}, "Sag 3 af 7"}, // the screen may not show who
	} {
		if got := (BoardProps{Agenda: agenda, Focus: tc.focus}).Announcement(); got != tc.want {
			t.Errorf("Announcement() = %q; want %q", got, tc.want)
		}
	}
}
