package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/layout"
	"github.com/helhed/helhed/web/pages/meetings"
	"github.com/helhed/helhed/web/paths"
)

// boardAudit remembers which citizen a board (one page view or one stream) last showed, so a
// read is audited when a case comes on the screen, not again at every update of that case.
type boardAudit struct{ citizenID int64 }

// boardViewer is everything about one screen that decides what its board shows, besides the
// meeting itself: two screens with equal boardViewers see the same board, so a screen wall of
// a hundred can share one render. It is asked of the policy afresh for every update, so a
// withdrawn consent or a member taken off the team shows on the very next one.
type boardViewer struct {
	canFocus  bool
	canRecord bool
	// sight is, per citizen on the agenda, what this screen may show: the viewer's own sight
	// within the room's (access.RoomSight). The shared screen shows what the whole room may
	// see, not what the person logged in on the room's PC may see.
	sight map[int64]access.Sight
}

// key is the viewer's part of the shared render's cache key.
func (v boardViewer) key(m store.Meeting) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%t/%t", v.canFocus, v.canRecord)
	for _, c := range m.Cases {
		fmt.Fprintf(&b, "/%d:%s", c.CitizenID, v.sight[c.CitizenID].Key())
	}
	return b.String()
}

// roomSights is what the meeting's room may see of each citizen on its agenda: what every
// member of the team (and the chair and minute-taker) may see. One query.
func (s *Server) roomSights(ctx context.Context, meetingID int64) (map[int64]access.Sight, error) {
	seats, err := s.store.RoomRelations(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]access.Sight, len(seats))
	for citizenID, ss := range seats {
		sights := make([]access.Sight, len(ss))
		for i, st := range ss {
			sights[i] = access.SightOf(st.User, st.Rel)
		}
		out[citizenID] = access.RoomSight(sights)
	}
	return out, nil
}

// viewerOf asks the policy how u may see meeting m on its shared screen, given what the room
// may see: two queries, whatever the agenda's size. A viewer who may no longer see the meeting
// gets ErrNotFound.
func (s *Server) viewerOf(ctx context.Context, u access.User, m store.Meeting, room map[int64]access.Sight) (boardViewer, error) {
	mrel, err := s.store.MeetingRelation(ctx, u, m.ID)
	if err != nil {
		return boardViewer{}, err
	}
	if !access.CanMeeting(u, access.ViewMeeting, mrel) {
		return boardViewer{}, helhed.ErrNotFound
	}
	rels, err := s.store.Relations(ctx, u, agendaCitizens(m))
	if err != nil {
		return boardViewer{}, err
	}
	v := boardViewer{canFocus: access.CanMeeting(u, access.MoveFocus, mrel),
		canRecord: access.CanMeeting(u, access.RecordIndstilling, mrel), sight: map[int64]access.Sight{}}
	for id, rel := range rels {
		v.sight[id] = access.SightOf(u, rel).Within(room[id])
	}
	return v, nil
}

// boardProps builds the board of meeting m as viewer v may see it: the agenda (names only
// where v may see the citizen, and only the case in focus while the citizen is in the room)
// and the case in focus with its shared picture (health and social data only as far as the
// room may see them). It knows nothing of the user beyond v, which is what makes sharing one
// render between equal viewers safe.
func (s *Server) boardProps(ctx context.Context, m store.Meeting, v boardViewer) (meetings.BoardProps, error) {
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return meetings.BoardProps{}, err
	}
	fc, hasFocus := m.Focus()
	p := meetings.BoardProps{MeetingID: m.ID, Title: m.TeamName, Start: m.StartsAt, Rendered: time.Now(), CanFocus: v.canFocus,
		CanRecord: v.canRecord, CitizenPresent: m.CitizenPresent,
		Agenda: agendaRows(m, outcomes, func(id int64) (bool, bool) {
			named := v.sight[id].Citizen() && (!m.CitizenPresent || (hasFocus && fc.CitizenID == id))
			return named, false
		})}
	if !hasFocus {
		return p, nil
	}
	bc := &meetings.BoardCase{CaseID: fc.ID, Position: fc.Position, Ready: fc.PreparedAt != nil}
	p.Focus = bc
	if m.FocusStartedAt != nil {
		bc.Timer = &meetings.BoardTimer{Start: *m.FocusStartedAt, Minutes: m.SlotMinutes}
	}
	// "Teamet drøfter": the screen shows the case by its place and time only.
	if m.Deliberating {
		p.Deliberating = true
		return p, nil
	}
	sight := v.sight[fc.CitizenID]
	if !sight.Citizen() {
		return p, nil
	}
	bc.Name, bc.Age, bc.Caseworker, bc.Question = fc.CitizenName, fc.CitizenCPR.Age(s.now()), deref(fc.CaseworkerName), fc.Question
	pic, _, err := s.loadPicture(ctx, sight, fc.CitizenID, "board")
	if err != nil {
		return p, err
	}
	pic.Board = true
	bc.Picture = &pic
	bc.Indstilling = indstillingOf(fc, outcomes, sight)
	if err := s.boardMeetingMode(ctx, bc, fc, sight); err != nil {
		return p, err
	}
	return p, nil
}

// boardMeetingMode adds to the case in focus what the team works from in the meeting: the
// forberedende del's written sections (each by its class), the sundhedskoordinator's given
// advice (the region's own rows, health data) and who is in the room — all as the screen's
// sight allows.
func (s *Server) boardMeetingMode(ctx context.Context, bc *meetings.BoardCase, fc store.MeetingCase, sight access.Sight) error {
	for _, sec := range helhed.PrepSections {
		if strings.TrimSpace(fc.Preparation[sec.Key]) == "" {
			continue
		}
		bc.Prep = append(bc.Prep, meetings.PrepView{Label: sec.Label,
			Text: access.GateRow(sight, access.PrepSection(sec.Key), access.MeetingPreparation, fc.Preparation[sec.Key])})
	}
	advice, err := s.store.CitizenHealthAdvice(ctx, fc.CitizenID)
	if err != nil {
		return err
	}
	for _, a := range advice {
		if !a.Given() {
			continue
		}
		bc.Advice = append(bc.Advice, meetings.BoardAdvice{Unit: a.UnitName, At: *a.GivenAt,
			Text: access.GateRow(sight, access.AdviceRow(a.UnitID), access.AdviceText, *a.Advice)})
	}
	if fc.AttendanceRecordedAt != nil {
		room, err := s.store.RoomMembers(ctx, fc.MeetingID)
		if err != nil {
			return err
		}
		bc.Attendance = attendanceView(fc, room)
	}
	return nil
}

// auditBoard writes the audit row for the case a board shows, once per case per screen.
func (s *Server) auditBoard(ctx context.Context, w store.Who, m store.Meeting, v boardViewer, seen *boardAudit) error {
	fc, ok := m.Focus()
	if !ok || m.Deliberating || !v.sight[fc.CitizenID].Citizen() || seen.citizenID == fc.CitizenID {
		return nil
	}
	detail := "møde " + strconv.FormatInt(m.ID, 10) + ": sagen på fælles skærm" + sightNote(v.sight[fc.CitizenID])
	if err := s.store.Audit(ctx, w, fc.CitizenID, store.AuditBoardView, detail); err != nil {
		return err
	}
	seen.citizenID = fc.CitizenID
	return nil
}

// boardUpdate is the live part of a board for one viewer, rendered once per change of the
// meeting (seq) and kind of viewer, and shared by every screen that sees the same. audit
// writes the read of the case now shown; the stream calls it right after sending, so the
// audit row's commit is not on the path of a hundred screens waiting for the same change.
func (s *Server) boardUpdate(ctx context.Context, u access.User, w store.Who, meetingID int64, seq uint64, seen *boardAudit) (html []byte, audit func() error, err error) {
	m, err := s.boards.meetings.do(fmt.Sprintf("%d/%d", meetingID, seq), func(ctx context.Context) (store.Meeting, error) {
		return s.store.MeetingByID(ctx, meetingID)
	})
	if err != nil {
		return nil, nil, err
	}
	room, err := s.boards.rooms.do(fmt.Sprintf("%d/%d", meetingID, seq), func(ctx context.Context) (map[int64]access.Sight, error) {
		return s.roomSights(ctx, meetingID)
	})
	if err != nil {
		return nil, nil, err
	}
	v, err := s.viewerOf(ctx, u, m, room)
	if err != nil {
		return nil, nil, err
	}
	html, err = s.boards.renders.do(fmt.Sprintf("%d/%d/%s", meetingID, seq, v.key(m)), func(ctx context.Context) ([]byte, error) {
		p, err := s.boardProps(ctx, m, v)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err = meetings.BoardContent(p).Render(ctx, &buf)
		return buf.Bytes(), err
	})
	if err != nil {
		return nil, nil, err
	}
	return html, func() error { return s.auditBoard(ctx, w, m, v, seen) }, nil
}

// boardView renders the board page: the current state, also without JavaScript.
func (s *Server) boardView(w http.ResponseWriter, r *http.Request, mr meetingReq) error {
	mid := mr.ID
	ctx := r.Context()
	m, err := s.store.MeetingByID(ctx, mid)
	if err != nil {
		return err
	}
	room, err := s.roomSights(ctx, mid)
	if err != nil {
		return err
	}
	v, err := s.viewerOf(ctx, userFrom(r).access(), m, room)
	if err != nil {
		return err
	}
	p, err := s.boardProps(ctx, m, v)
	if err != nil {
		return err
	}
	if err := s.auditBoard(ctx, who(r), m, v, &boardAudit{}); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, layout.Bare(s.chrome(r, "Fælles skærm – "+meetings.Title(m.TeamName, m.StartsAt)), meetings.Board(p)))
}

// boardStream is the board's server-sent event stream. It sends the live part of the board
// at once (so a reconnecting screen is current) and again whenever the meeting changes on any
// app instance (PostgreSQL NOTIFY through the live hub). Each screen gets what its own user
// may see. The stream ends when the user logs out or is disabled, when the session's
// absolute lifetime runs out, and when the server shuts down; an open board counts as
// activity, so a meeting-room screen does not time out in the middle of a meeting.
func (s *Server) boardStream(w http.ResponseWriter, r *http.Request, mr meetingReq) error {
	mid := mr.ID
	ctx := r.Context()
	sub, err := s.live.Subscribe(ctx, store.MeetingTopic(mid))
	if err != nil {
		return err
	}
	defer sub.Close()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no") // no buffering in a reverse proxy
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	u, wh := userFrom(r).access(), who(r)
	seen := &boardAudit{}
	var last [sha256.Size]byte
	send := func() (err error) {
		html, audit, err := s.boardUpdate(ctx, u, wh, mid, sub.Seq(), seen)
		if err != nil {
			return err
		}
		defer func() {
			if aerr := audit(); aerr != nil && err == nil {
				err = aerr // an unaudited read ends the stream
			}
		}()
		// The render time changes with every render; compare without it, so a change this
		// viewer cannot see (another unit's case) sends nothing.
		if sum := sha256.Sum256(withoutRendered(html)); sum == last {
			return nil
		} else {
			last = sum
		}
		if err := writeEvent(w, "board", html); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := send(); err != nil {
		return s.endStream(r, err)
	}
	// A comment every StreamCheck keeps proxies from closing an idle stream and lets the
	// server notice a closed browser; the session is checked as often.
	tick := time.NewTicker(s.cfg.StreamCheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-sub.Done():
			return nil
		case <-sub.C:
			if err := send(); err != nil {
				return s.endStream(r, err)
			}
		case <-tick.C:
			if ok, err := s.streamSessionValid(ctx); err != nil || !ok {
				return s.endStream(r, err)
			}
			if _, err := io.WriteString(w, ": ok\n\n"); err != nil {
				return nil
			}
			if err := rc.Flush(); err != nil {
				return nil
			}
		}
	}
}

// endStream logs why a stream ended; the response has begun, so no error page can follow.
func (s *Server) endStream(r *http.Request, err error) error {
	if err != nil && !errors.Is(err, context.Canceled) && helhed.ErrorCode(err) != helhed.ENotFound {
		s.log.Warn("board stream ended", "request_id", requestID(r), "err", err)
	}
	return nil
}

// streamSessionValid checks, for a long-lived stream, that its session still exists (not
// logged out, not expired) and its user is still active, and moves the idle deadline on.
func (s *Server) streamSessionValid(ctx context.Context) (bool, error) {
	token := s.sessions.Token(ctx)
	b, found, err := s.sessions.Store.Find(token)
	if err != nil || !found {
		return false, err
	}
	deadline, values, err := s.sessions.Codec.Decode(b)
	if err != nil {
		return false, err
	}
	uid, _ := values[sessUserID].(int64)
	loginAt, _ := values[sessLoginAt].(int64)
	u, err := s.store.UserByID(ctx, uid)
	if err != nil || !sessionValid(u, loginAt) {
		return false, nil
	}
	expiry := time.Now().Add(s.sessions.IdleTimeout).UTC()
	if deadline.Before(expiry) {
		expiry = deadline
	}
	return true, s.sessions.Store.Commit(token, b, expiry)
}

// writeEvent writes one server-sent event. Every line of data gets its own "data:" field;
// CR and CRLF count as line ends in the protocol, so they are split on too.
func writeEvent(w io.Writer, event string, data []byte) error {
	var b bytes.Buffer
	b.WriteString("event: ")
	b.WriteString(event)
	b.WriteByte('\n')
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		b.WriteString("data: ")
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// withoutRendered cuts the board's render timestamp out of its HTML, for comparison.
func withoutRendered(html []byte) []byte {
	const mark = `data-board-rendered="`
	i := bytes.Index(html, []byte(mark))
	if i < 0 {
		return bytes.Clone(html)
	}
	j := bytes.Index(html[i:], []byte("</span>"))
	if j < 0 {
		return bytes.Clone(html)
	}
	out := bytes.Clone(html[:i])
	return append(out, html[i+j:]...)
}

// focusPost moves the board's focus: to a case ("sag") or to the next or previous one
// ("retning"). With htmx the board updates through its stream and the button keeps focus
// (204); without JavaScript the chair is sent back to the board.
func (s *Server) focusPost(w http.ResponseWriter, r *http.Request, mr meetingReq) error {
	mid := mr.ID
	m, err := s.store.MeetingByID(r.Context(), mid)
	if err != nil {
		return err
	}
	target, err := focusTarget(m, r.PostFormValue("sag"), r.PostFormValue("retning"))
	if err != nil {
		return err
	}
	if target != 0 {
		if err := s.store.SetFocus(r.Context(), who(r), mid, target); err != nil {
			return err
		}
	}
	if r.Header.Get("HX-Request") == "true" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return redirect(w, r, paths.Board(mid))
}

// citizenPresentPost switches the board's "borger til stede" mode (til_stede=ja|nej): while
// the citizen is in the room, the other cases show by time and number only. The chair (or the
// team's unit's leader) switches it, like the focus.
func (s *Server) citizenPresentPost(w http.ResponseWriter, r *http.Request, mr meetingReq) error {
	mid := mr.ID
	var present bool
	switch r.PostFormValue("til_stede") {
	case "ja":
		present = true
	case "nej":
	default:
		return &helhed.Error{Code: helhed.EInvalid, Message: "Vælg, om borgeren er til stede."}
	}
	if err := s.store.SetCitizenPresent(r.Context(), who(r), mid, present); err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return redirect(w, r, paths.Board(mid))
}

// focusTarget is the case to show: the one named, or the neighbour of the current focus
// (the first case when nothing is shown yet). 0 means stay: no case beyond the ends.
func focusTarget(m store.Meeting, caseParam, dir string) (int64, error) {
	if caseParam != "" {
		id, err := strconv.ParseInt(caseParam, 10, 64)
		if err != nil {
			return 0, helhed.ErrNotFound
		}
		return id, nil // SetFocus checks that the case is on this meeting
	}
	step := 0
	switch dir {
	case "naeste":
		step = 1
	case "forrige":
		step = -1
	default:
		return 0, &helhed.Error{Code: helhed.EInvalid, Message: "Vælg næste eller forrige sag."}
	}
	if len(m.Cases) == 0 {
		return 0, nil
	}
	if m.FocusCaseID == nil {
		return m.Cases[0].ID, nil
	}
	for i, c := range m.Cases {
		if c.ID == *m.FocusCaseID {
			if j := i + step; j >= 0 && j < len(m.Cases) {
				return m.Cases[j].ID, nil
			}
			return 0, nil
		}
	}
	return m.Cases[0].ID, nil
}
