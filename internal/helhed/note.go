package helhed

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// Journal notes (journalnotater): what happened in a citizen's case, written down as it
// happened. A note is never deleted or rewritten after the fact: its author may amend it for
// a short while (the lock period, a server setting), and afterwards a correction is a new
// note that refers to the old one.

// MaxNoteText is the longest note, in characters: about eight pages of text, far beyond a
// conversation's notes, and short of what would make the timeline a document store. The
// database holds the same limit (migration 0019).
const MaxNoteText = 20_000

// DefaultNoteLock is how long after it was written a note may still be amended by its author.
const DefaultNoteLock = 24 * time.Hour

// FieldNoteText is the form field of a note's text.
const FieldNoteText = "text"

// NoteTextProblem says what is wrong with a note's text, in Danish, or "" when it may be
// stored. The message for a text that is too long says how long it is and what to do, since
// the user cannot see the count.
func NoteTextProblem(text string) string {
	n := utf8.RuneCountInString(text)
	switch {
	case n == 0:
		return "Skriv notatets tekst"
	case n > MaxNoteText:
		return fmt.Sprintf("Notatet er på %s tegn, og der er plads til højst %s. Del det op i flere notater; teksten er bevaret herunder.",
			groupThousands(strconv.Itoa(n)), groupThousands(strconv.Itoa(MaxNoteText)))
	}
	return ""
}

// MaxNoteAge is how far back a note's event may lie: the journal is kept as things happen,
// and an older date is a typing error (the case itself is deleted years after it closes).
const MaxNoteAge = 10

// NoteDateProblem says what is wrong with the date of a note's event, given the Danish date
// today, or "" when it is fine: an event has happened (not after today) and is not older than
// MaxNoteAge years.
func NoteDateProblem(d, today time.Time) string {
	switch {
	case d.After(today):
		return "Datoen ligger efter i dag; et notat beskriver noget, der er sket"
	case d.Before(today.AddDate(-MaxNoteAge, 0, 0)):
		return "Datoen ligger mere end " + strconv.Itoa(MaxNoteAge) + " år tilbage"
	}
	return ""
}

// NoteLocked reports whether a note written at created is locked at now, after lock: from
// the moment the period has passed, the author can no longer amend it.
func NoteLocked(created, now time.Time, lock time.Duration) bool {
	return !now.Before(created.Add(lock))
}

// NoteLockPeriod is the lock period in Danish words ("24 timer", "1 time", "90 minutter"),
// for the messages that name it.
func NoteLockPeriod(lock time.Duration) string {
	switch {
	case lock%(24*time.Hour) == 0 && lock > 24*time.Hour:
		return strconv.Itoa(int(lock/(24*time.Hour))) + " døgn"
	case lock == time.Hour:
		return "1 time"
	case lock%time.Hour == 0:
		return strconv.Itoa(int(lock/time.Hour)) + " timer"
	case lock == time.Minute:
		return "1 minut"
	}
	return strconv.Itoa(int(lock.Round(time.Minute)/time.Minute)) + " minutter"
}

// NoteLockedMessage is why a locked note cannot be amended, and what to do instead.
func NoteLockedMessage(lock time.Duration) string {
	return "Notatet blev låst " + NoteLockPeriod(lock) + " efter, at det blev skrevet, og kan ikke længere redigeres. " +
		"Skriv en rettelse i stedet; den henviser til det oprindelige notat."
}
