// Package tasks holds the task list (generated from the case and manual) with its done and
// snooze forms, and the form that gives a manual task about a citizen.
package tasks

import (
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
)

// Task is one open task as the list shows it.
type Task struct {
	ID, CitizenID int64
	// Citizen names the citizen; "" when the viewer may not see them (the case reference
	// shows instead) or the task has no citizen.
	Citizen  string
	Source   string // the source's Danish label
	Title    access.Gated[string]
	Due      time.Time
	Overdue  bool
	Assignee string // "" for the unit
	Version  int
}

// ListProps is the task list.
type ListProps struct {
	Tasks  []Task
	Total  int
	Pages  components.PageInfo
	Today  time.Time
	Errors map[string]string // a refused snooze: the task's id → message
}

// NewProps is the manual task form.
type NewProps struct {
	CitizenID   int64
	CitizenName string
	Assignees   []components.Option
	Values      map[string]string
	Errors      map[string]string
	Summary     map[string]string
}

// FormFieldOrder is the manual task form's fields in order.
var FormFieldOrder = []string{"title", "due", "assignee"}
