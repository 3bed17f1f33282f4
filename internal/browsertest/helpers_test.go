package browsertest_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/browsertest"
)

// screening is what a caseworker answers on the screening form, by the answers' visible
// labels. WHO5 is one answer for all five items.
type screening struct {
	diet, smoking           string
	drinksWeek, drinksDay   string
	activeMinutes           string
	sleep, who5, selfHealth string
	height, weight          string
	hash, drugs             string
	workImpact              string
}

// mediumRisk smokes daily, moves too little, has lowered well-being (WHO-5 40) and a health
// challenge that bears on work in the short or medium term: the group is mellem, and three
// rules fire. BMI 23,0; no hash or other drugs.
var mediumRisk = screening{diet: "God", smoking: "Dagligt", drinksWeek: "3", drinksDay: "2", activeMinutes: "20",
	sleep: "Nogle gange", who5: "Lidt mindre end halvdelen af tiden", selfHealth: "Mindre godt",
	height: "172", weight: "68", hash: "For mere end et år siden", drugs: "Aldrig",
	workImpact: "Påvirker arbejde på kort/mellemlang sigt"}

// who5Items are the WHO-5 statements as the form asks them.
var who5Items = [5]string{
	"har jeg været glad og i godt humør",
	"har jeg følt mig rolig og afslappet",
	"har jeg følt mig aktiv og energisk",
	"er jeg vågnet frisk og udhvilet",
	"har min dagligdag været fyldt med ting der interesserer mig",
}

// fillScreening answers the screening form with s, field by field, as a user would. The
// date of the conversation is left as the form proposes it.
func fillScreening(p *browsertest.Page, s screening) {
	p.Choose("Kost: Hvordan vurderer borgeren selv sin kost?", s.diet)
	p.Choose("Rygning: Ryger borgeren?", s.smoking)
	p.Fill("Alkohol: Genstande på en almindelig uge", s.drinksWeek)
	p.Fill("Alkohol: Flest genstande på én dag", s.drinksDay)
	p.Fill("Motion: Minutter med moderat fysisk aktivitet om dagen", s.activeMinutes)
	p.Choose("Søvn: Hvor ofte har borgeren søvnproblemer?", s.sleep)
	p.Fill("Højde i cm", s.height)
	p.Fill("Vægt i kg", s.weight)
	p.Choose("Hvornår har borgeren sidst røget hash?", s.hash)
	p.Choose("Hvornår har borgeren sidst taget andre stoffer (fx kokain, amfetamin)?", s.drugs)
	for i, item := range who5Items {
		p.Choose(strconv.Itoa(i+1)+". I de sidste 2 uger … "+item, s.who5)
	}
	p.Choose("Hvordan synes du, dit helbred er alt i alt?", s.selfHealth)
	p.Choose("Din faglige vurdering: Hvordan påvirker helbredsudfordringen borgerens mulighed for arbejde?", s.workImpact)
}

// minChartText is the smallest chart text, in CSS pixels as drawn, that these tests
// accept: the charts scale with their width, and text drawn smaller is not readable.
const minChartText = 10

// expectChartText fails the test if a text of the SVG charts matching sel sticks out of its
// chart, where the browser cuts it off (an axis date read from across the room), or is drawn
// smaller than minChartText because the chart is scaled down.
func expectChartText(t *testing.T, p *browsertest.Page, sel string) {
	t.Helper()
	bad := browsertest.Eval[[]string](p, `[...document.querySelectorAll(`+strconv.Quote(sel)+`)].flatMap((svg) => {
		const box = svg.getBoundingClientRect();
		const scale = box.width / svg.viewBox.baseVal.width;
		return [...svg.querySelectorAll("text")].flatMap((t) => {
			const r = t.getBoundingClientRect();
			const px = parseFloat(getComputedStyle(t).fontSize) * scale;
			const out = [];
			if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
				out.push(JSON.stringify(t.textContent) + " is cut off");
			}
			if (px < `+strconv.Itoa(minChartText)+`) out.push(JSON.stringify(t.textContent) + " is " + px.toFixed(1) + "px");
			return out;
		});
	})`)
	if len(bad) > 0 {
		t.Errorf("chart text not readable: %s", strings.Join(bad, "; "))
	}
}
