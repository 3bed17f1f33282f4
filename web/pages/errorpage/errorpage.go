// Package errorpage renders the Danish body of an error page (404, 403,
// 500, …): a heading, a short explanation, the request ID to give support,
// and a link to the front page. It never shows technical details.
//
// Wrap it in layout.Page (logged in) or layout.Page with a nil User:
//
//	p := errorpage.Props{Status: 404, RequestID: rid}
//	layout.Page(layout.Chrome{Title: errorpage.TitleFor(404), …}, errorpage.Body(p))
package errorpage

// Props configures Body. Title and Message default to TitleFor(Status) and
// MessageFor(Status).
type Props struct {
	Status         int
	Title, Message string
	RequestID      string
	// Home is the front page the page links to ("" is "/"; the citizen area's is /mit).
	Home string
}

func (p Props) home() string {
	if p.Home != "" {
		return p.Home
	}
	return "/"
}

// TitleFor is the Danish heading for an HTTP status.
func TitleFor(status int) string {
	switch status {
	case 400:
		return "Forespørgslen kunne ikke behandles"
	case 401:
		return "Du skal logge ind"
	case 403:
		return "Du har ikke adgang"
	case 404, 410:
		return "Siden findes ikke"
	case 405:
		return "Handlingen er ikke tilladt"
	case 409:
		return "Oplysningerne er ændret"
	case 413:
		return "For store data"
	case 429:
		return "For mange forespørgsler"
	case 503:
		return "Helhed er midlertidigt utilgængelig"
	}
	if status >= 400 && status < 500 {
		return "Forespørgslen kunne ikke behandles"
	}
	return "Der opstod en fejl"
}

// MessageFor is the Danish explanation for an HTTP status.
func MessageFor(status int) string {
	switch status {
	case 400:
		return "Forespørgslen var ikke gyldig. Gå tilbage, og prøv igen."
	case 401:
		return "Din session er udløbet, eller du er ikke logget ind. Log ind, og prøv igen."
	case 403:
		return "Du har ikke adgang til denne side eller handling. Kontakt din leder, hvis du mener, at du skal have adgang."
	case 404, 410:
		return "Siden findes ikke, eller den er flyttet. Tjek adressen, eller gå til forsiden."
	case 405:
		return "Handlingen kan ikke udføres på denne side."
	case 409:
		return "En anden har ændret oplysningerne i mellemtiden. Indlæs siden igen, og prøv en gang til."
	case 413:
		return "Det, du sendte, er for stort. Prøv med en mindre fil eller mindre tekst."
	case 429:
		return "Du har sendt for mange forespørgsler på kort tid. Vent lidt, og prøv igen."
	case 503:
		return "Helhed kan ikke bruges lige nu. Prøv igen om lidt."
	}
	if status >= 400 && status < 500 {
		return "Forespørgslen kunne ikke behandles. Gå tilbage, og prøv igen."
	}
	return "Der opstod en fejl hos os, og handlingen blev ikke gennemført. Prøv igen om lidt."
}

func (p Props) title() string {
	if p.Title != "" {
		return p.Title
	}
	return TitleFor(p.Status)
}

func (p Props) message() string {
	if p.Message != "" {
		return p.Message
	}
	return MessageFor(p.Status)
}
