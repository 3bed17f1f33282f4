package browsertest_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// After the team's indstilling the caseworker hears the citizen and makes the municipality's
// afgørelse through the pages: the partshøring, the decision refused beside the partshøring
// while its deadline runs and beside the departure reasons, the citizen's reply, and the
// departing decision on the case page. Every page is checked with axe as it loads.
func TestCaseworkerRecordsDecision(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	member := app.User(t, "member", access.RoleRehabTeam, apptest.Region)
	anna := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	team, err := app.Store.CreateTeam(ctx, w, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeamMember(ctx, w, team, member.ID, "sundhedskoordinator"); err != nil {
		t.Fatal(err)
	}
	mid, err := app.Store.CreateMeeting(ctx, w, store.MeetingInput{TeamID: team, StartsAt: time.Now().Add(24 * time.Hour).Truncate(time.Hour),
		SlotMinutes: 30, ChairID: member.ID, MinuteTakerID: member.ID})
	if err != nil {
		t.Fatal(err)
	}
	mcid, err := app.Store.AddMeetingCase(ctx, w, mid, anna, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	postTeamRecords(t, app, anna, cw, member) // a fleksjob indstilling needs them (lov nr. 1750)
	if err := app.Store.RecordIndstilling(ctx, store.Who{UserID: member.ID}, mid, mcid, 1,
		helhed.Indstilling{Outcome: "fleksjob", Reasons: "Arbejdsevnen er varigt nedsat"}); err != nil {
		t.Fatal(err)
	}

	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)
	p.Go("/borgere")
	p.ExpectText("main table", "Afventer afgørelse")
	p.Go("/moeder/" + strconv.FormatInt(mid, 10) + "/sager/" + strconv.FormatInt(mcid, 10))
	p.ExpectText("main", "kommunen har endnu ikke truffet afgørelse")

	p.ClickLink("Registrér partshøring")
	p.Fill("Borgeren høres om", "Lægeattest af 1. december om arbejdsevnen")
	p.Click("Registrér partshøring")
	p.ExpectText(".alert-success", "Partshøringen er registreret")
	p.ExpectText("main", "Afventer svar")

	p.ClickLink("Træf afgørelse")
	p.ExpectText(".alert-warning", "Partshøringsfristen løber")
	p.Choose("Afgørelse", "Ressourceforløb")
	p.Fill("Begrundelse", "LAB § 68: borgeren har komplekse problemer ud over ledighed.")
	p.Click("Registrér afgørelse")
	p.ExpectText("#partshoering-error", "Partshøringsfristen løber")
	p.ExpectFieldError("Begrundelse for at fravige indstillingen", "fraviger teamets indstilling")
	if got := p.Value("Begrundelse"); got != "LAB § 68: borgeren har komplekse problemer ud over ledighed." {
		t.Errorf("the reasons after the refusal: %q; want them kept", got)
	}

	p.ClickLink("Tilbage til sagen")
	p.ClickLink("Registrér svar")
	p.Choose("Resultat", "Borgeren har svaret")
	p.Fill("Svar modtaget den", form.Today(time.Now()).Format(time.DateOnly))
	p.Fill("Resumé af borgerens svar", "Borgeren vil gerne prøve et ressourceforløb først.")
	p.Click("Gem")
	p.ExpectText("main", "Svar modtaget")

	p.ClickLink("Træf afgørelse")
	p.ExpectNoText("main", "Partshøringsfristen løber")
	p.Choose("Afgørelse", "Ressourceforløb")
	p.Fill("Begrundelse", "LAB § 68: borgeren har komplekse problemer ud over ledighed.")
	p.Fill("Begrundelse for at fravige indstillingen", "Arbejdsevnen kan udvikles; borgeren ønsker selv et ressourceforløb først.")
	p.Fill("Genforelagt rehabiliteringsteamet den", form.Today(time.Now()).Format(time.DateOnly))
	p.Click("Registrér afgørelse")
	p.ExpectText(".alert-success", "Afgørelsen er registreret")
	p.ExpectText("#afgoerelse ~ dl", "afgørelsen fraviger indstillingen")
	p.ExpectText("main", "Ankestyrelsen")
	p.Go("/borgere")
	p.ExpectNoText("main table", "Afventer afgørelse")
}
