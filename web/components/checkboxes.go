package components

import "slices"

// MultiChoiceProps configures CheckboxGroup: several options may be chosen.
type MultiChoiceProps struct {
	Name, Label, Hint, Error string
	Options                  []Option
	Selected                 []string
	Required                 bool
}

func (p MultiChoiceProps) checked(value string) bool { return slices.Contains(p.Selected, value) }
