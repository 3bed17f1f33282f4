package helhed_test

import (
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
)

// d is a calendar date; dp its pointer.
func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dp(s string) *time.Time { t := d(s); return &t }

// forsoergelse are the forsørgelsesydelser of migration 0024 (fleksjob is employment).
var forsoergelse = []string{"kontanthjaelp", "uddannelseshjaelp", "sygedagpenge", "integrationsydelse", "dagpenge",
	"ressourceforloeb", "jobafklaringsforloeb", "ledighedsydelse"}

// testLaw is the law of migration 0024, as data: the store test TestBenefitRulesAsSeeded
// checks the migration's rows give the same answers at the same boundaries.
func testLaw() helhed.BenefitLaw {
	undated := d("1900-01-01")
	return helhed.BenefitLaw{
		Rules: []helhed.BenefitRule{
			{Code: "forsoergelse_overlap", Kind: helhed.RuleOverlap, Severity: helhed.SeverityRefuse,
				Benefits: forsoergelse, Others: forsoergelse, ValidFrom: undated, Source: "Helheds regel"},
			{Code: "fleksjob_ledighedsydelse", Kind: helhed.RuleOverlap, Severity: helhed.SeverityWarn,
				Benefits: []string{"fleksjob"}, Others: []string{"ledighedsydelse"}, ValidFrom: undated, Source: "LAS § 74, stk. 1, nr. 4 og 5"},
			{Code: "ledighedsydelse_fleksjob", Kind: helhed.RuleOverlap, Severity: helhed.SeverityWarn,
				Benefits: []string{"ledighedsydelse"}, Others: []string{"fleksjob"}, ValidFrom: undated, Source: "LAS § 74, stk. 1, nr. 4 og 5"},
			{Code: "folkepensionsalder", Kind: helhed.RulePensionAge, Severity: helhed.SeverityRefuse,
				Benefits: []string{"kontanthjaelp", "uddannelseshjaelp", "integrationsydelse", "dagpenge", "ressourceforloeb",
					"jobafklaringsforloeb", "ledighedsydelse"}, ValidFrom: undated, Source: "lov om social pension § 1 a"},
			{Code: "jobafklaring_efter_sygedagpenge", Kind: helhed.RuleFollows, Severity: helhed.SeverityWarn,
				Benefits: []string{"jobafklaringsforloeb"}, Others: []string{"sygedagpenge"}, WindowDays: 31,
				ValidFrom: d("2014-07-01"), Source: "Sygedagpengeloven §§ 24 og 24 a"},
			{Code: "ressourceforloeb_6_aar", Kind: helhed.RulePensionDistance, Severity: helhed.SeverityWarn,
				Benefits: []string{"ressourceforloeb"}, Years: 6, ValidFrom: d("2022-01-01"), Source: "LAB § 112, stk. 3"},
		},
		PensionAges: []helhed.PensionAge{
			{BornFrom: d("1800-01-01"), BornTo: dp("1953-12-31"), Months: 780, ValidFrom: undated, Source: "§ 1 a, nr. 1"},
			{BornFrom: d("1954-01-01"), BornTo: dp("1954-06-30"), Months: 786, ValidFrom: undated, Source: "§ 1 a, nr. 2"},
			{BornFrom: d("1954-07-01"), BornTo: dp("1954-12-31"), Months: 792, ValidFrom: undated, Source: "§ 1 a, nr. 3"},
			{BornFrom: d("1955-01-01"), BornTo: dp("1955-06-30"), Months: 798, ValidFrom: undated, Source: "§ 1 a, nr. 4"},
			{BornFrom: d("1955-07-01"), BornTo: dp("1962-12-31"), Months: 804, ValidFrom: undated, Source: "§ 1 a, nr. 5"},
			{BornFrom: d("1963-01-01"), Months: 816, ValidFrom: undated, ValidTo: dp("2020-12-30"), Source: "§ 1 a før 31.12.2020"},
			{BornFrom: d("1963-01-01"), BornTo: dp("1966-12-31"), Months: 816, ValidFrom: d("2020-12-31"), Source: "§ 1 a, nr. 6"},
			{BornFrom: d("1967-01-01"), Months: 828, ValidFrom: d("2020-12-31"), ValidTo: dp("2025-12-30"), Source: "§ 1 a, nr. 7"},
			{BornFrom: d("1967-01-01"), BornTo: dp("1970-12-31"), Months: 828, ValidFrom: d("2025-12-31"), Source: "§ 1 a (L 149)"},
			{BornFrom: d("1971-01-01"), Months: 840, ValidFrom: d("2025-12-31"), Source: "§ 1 a (L 149)"},
		},
	}
}

func label(code string) string { return strings.ToUpper(code[:1]) + code[1:] }

// TestPensionDate: folkepensionsalderen by birth date, lov om social pension § 1 a
// (LBK nr. 527 af 25.4.2022; 70 år for født 1.1.1971 eller senere, L 149 (2024-25), in force
// 31.12.2025 per AES), under the version of the law in force on the day asked about.
func TestPensionDate(t *testing.T) {
	t.Parallel()
	law := testLaw()
	for _, tc := range []struct {
		born, on, want string
		source         string
	}{
		{"1953-12-31", "2024-01-01", "2018-12-31", "§ 1 a, nr. 1: 65 år, født før 1.1.1954"},
		{"1954-01-01", "2024-01-01", "2019-07-01", "§ 1 a, nr. 2: 65½ år, født 1.1.–30.6.1954"},
		{"1955-07-01", "2024-01-01", "2022-07-01", "§ 1 a, nr. 5: 67 år, født 1.7.1955–31.12.1962"},
		{"1962-12-31", "2024-01-01", "2029-12-31", "§ 1 a, nr. 5: 67 år"},
		{"1963-01-01", "2024-01-01", "2031-01-01", "§ 1 a, nr. 6: 68 år, født 1.1.1963–31.12.1966"},
		{"1970-12-31", "2026-12-07", "2039-12-31", "§ 1 a as amended by L 149: 69 år, født 1.1.1967–31.12.1970"},
		{"1971-01-01", "2026-12-07", "2041-01-01", "L 149 (2024-25): 70 år, født 1.1.1971 eller senere"},
		{"1971-01-01", "2025-12-30", "2040-01-01", "before L 149 took effect: 69 år for født efter 31.12.1966"},
		{"1971-01-01", "2020-12-30", "2039-01-01", "before the change of 31.12.2020: 68 år for født efter 31.12.1962"},
	} {
		_, got, ok := law.PensionDate(d(tc.born), d(tc.on))
		if !ok || got.Format(time.DateOnly) != tc.want {
			t.Errorf("born %s, law of %s: folkepensionsalder reached %s (%v); want %s (%s)", tc.born, tc.on,
				got.Format(time.DateOnly), ok, tc.want, tc.source)
		}
	}
	if _, _, ok := law.PensionDate(time.Time{}, d("2026-01-01")); ok {
		t.Error("an unknown birth date has a pension date")
	}
}

// TestBenefitRules checks each rule at its boundaries; every case names its source.
func TestBenefitRules(t *testing.T) {
	t.Parallel()
	law := testLaw()
	kh := func(from, to string) helhed.BenefitSpan {
		s := helhed.BenefitSpan{Benefit: "kontanthjaelp", Start: d(from)}
		if to != "" {
			s.End = dp(to)
		}
		return s
	}
	span := func(b, from, to string) helhed.BenefitSpan { s := kh(from, to); s.Benefit = b; return s }
	for _, tc := range []struct {
		name    string
		source  string
		born    string
		history []helhed.BenefitSpan
		p       helhed.BenefitSpan
		want    string // rule code, "" for none
		sev     helhed.Severity
	}{
		// (a) Overlap of forsørgelsesydelser.
		{"overlap on the same day", "Helheds regel: én forsørgelsesydelse ad gangen (migration 0024)", "1980-05-05",
			[]helhed.BenefitSpan{kh("2024-01-01", "2024-03-31")}, span("sygedagpenge", "2024-03-31", ""), "forsoergelse_overlap", helhed.SeverityRefuse},
		{"adjacent days", "Helheds regel: én forsørgelsesydelse ad gangen", "1980-05-05",
			[]helhed.BenefitSpan{kh("2024-01-01", "2024-03-31")}, span("sygedagpenge", "2024-04-01", ""), "", ""},
		{"new period ends the day before", "Helheds regel", "1980-05-05",
			[]helhed.BenefitSpan{kh("2024-04-01", "")}, span("dagpenge", "2023-01-01", "2024-03-31"), "", ""},
		{"new period ends on the first day", "Helheds regel", "1980-05-05",
			[]helhed.BenefitSpan{kh("2024-04-01", "")}, span("dagpenge", "2023-01-01", "2024-04-01"), "forsoergelse_overlap", helhed.SeverityRefuse},
		{"inside a running period", "Helheds regel", "1980-05-05",
			[]helhed.BenefitSpan{kh("2020-01-01", "")}, span("ledighedsydelse", "2026-01-01", ""), "forsoergelse_overlap", helhed.SeverityRefuse},
		{"fleksjob next to sygedagpenge", "fleksjob is employment (LAB kap. 20), not a forsørgelsesydelse", "1980-05-05",
			[]helhed.BenefitSpan{span("fleksjob", "2020-01-01", "")}, span("sygedagpenge", "2024-03-01", "2024-05-01"), "", ""},
		{"fleksjob next to kontanthjælp", "fleksjob is employment (LAB kap. 20)", "1980-05-05",
			[]helhed.BenefitSpan{kh("2020-01-01", "2024-12-31")}, span("fleksjob", "2024-06-01", ""), "", ""},
		{"ledighedsydelse during fleksjob", "LAS § 74, stk. 1, nr. 4 og 5: only holiday without feriegodtgørelse, temporary interruptions", "1980-05-05",
			[]helhed.BenefitSpan{span("fleksjob", "2020-01-01", "")}, span("ledighedsydelse", "2024-07-01", "2024-07-21"), "ledighedsydelse_fleksjob", helhed.SeverityWarn},
		{"fleksjob during ledighedsydelse", "LAS § 74, stk. 1, nr. 4 og 5", "1980-05-05",
			[]helhed.BenefitSpan{span("ledighedsydelse", "2023-01-01", "2024-01-01")}, span("fleksjob", "2024-01-01", ""), "fleksjob_ledighedsydelse", helhed.SeverityWarn},
		{"fleksjob the day after ledighedsydelse", "LAS § 74, stk. 1, nr. 1: ledighedsydelse until the fleksjob", "1980-05-05",
			[]helhed.BenefitSpan{span("ledighedsydelse", "2023-01-01", "2023-12-31")}, span("fleksjob", "2024-01-01", ""), "", ""},

		// (b) No forsørgelsesydelse from folkepensionsalderen: born 31.12.1970 → 69, born 1.1.1971 → 70.
		{"born 31.12.1970, the day before 69", "lov om social pension § 1 a (69 år, født 1.1.1967–31.12.1970)", "1970-12-31",
			nil, kh("2039-12-30", ""), "", ""},
		{"born 31.12.1970, on the 69th birthday", "lov om social pension § 1 a (69 år)", "1970-12-31",
			nil, kh("2039-12-31", ""), "folkepensionsalder", helhed.SeverityRefuse},
		{"born 1.1.1971, at 69 still below", "L 149 (2024-25): 70 år for født 1.1.1971 eller senere", "1971-01-01",
			nil, kh("2040-01-01", ""), "", ""},
		{"born 1.1.1971, the day before 70", "L 149 (2024-25)", "1971-01-01",
			nil, kh("2040-12-31", ""), "", ""},
		{"born 1.1.1971, on the 70th birthday", "L 149 (2024-25)", "1971-01-01",
			nil, kh("2041-01-01", ""), "folkepensionsalder", helhed.SeverityRefuse},
		{"sygedagpenge past folkepensionsalderen", "sygedagpengeloven § 25, stk. 1, nr. 3: sygedagpenge past the pension age", "1955-07-01",
			nil, span("sygedagpenge", "2024-03-01", ""), "", ""},

		// (c) A jobafklaringsforløb follows sygedagpenge (window 31 days, Helhed's choice).
		{"jobafklaring the day after sygedagpenge", "sygedagpengeloven §§ 24 og 24 a", "1980-05-05",
			[]helhed.BenefitSpan{span("sygedagpenge", "2023-09-01", "2024-05-31")}, span("jobafklaringsforloeb", "2024-06-01", ""), "", ""},
		{"jobafklaring 31 days after sygedagpenge", "sygedagpengeloven §§ 24 og 24 a; window 31 days", "1980-05-05",
			[]helhed.BenefitSpan{span("sygedagpenge", "2023-09-01", "2024-04-30")}, span("jobafklaringsforloeb", "2024-06-01", ""), "", ""},
		{"jobafklaring 32 days after sygedagpenge", "sygedagpengeloven §§ 24 og 24 a; window 31 days", "1980-05-05",
			[]helhed.BenefitSpan{span("sygedagpenge", "2023-09-01", "2024-04-29")}, span("jobafklaringsforloeb", "2024-06-01", ""), "jobafklaring_efter_sygedagpenge", helhed.SeverityWarn},
		{"jobafklaring without sygedagpenge in Helhed", "sygedagpengeloven §§ 24 og 24 a", "1980-05-05",
			[]helhed.BenefitSpan{kh("2020-01-01", "2024-05-31")}, span("jobafklaringsforloeb", "2024-06-01", ""), "jobafklaring_efter_sygedagpenge", helhed.SeverityWarn},

		// (d) LAB § 112, stk. 3 (L 209, 2020-21, in force 1.1.2022): less than 6 years to
		// folkepensionsalderen. Born 31.12.1962 reaches 67 on 31.12.2029; born 1.1.1963 reaches 68
		// on 1.1.2031.
		{"born 1962: exactly 6 years", "LAB § 112, stk. 3; § 1 a, nr. 5 (67 år)", "1962-12-31",
			nil, span("ressourceforloeb", "2023-12-31", ""), "", ""},
		{"born 1962: 6 years less a day", "LAB § 112, stk. 3; § 1 a, nr. 5 (67 år)", "1962-12-31",
			nil, span("ressourceforloeb", "2024-01-01", ""), "ressourceforloeb_6_aar", helhed.SeverityWarn},
		{"born 1963: exactly 6 years", "LAB § 112, stk. 3; § 1 a, nr. 6 (68 år)", "1963-01-01",
			nil, span("ressourceforloeb", "2025-01-01", ""), "", ""},
		{"born 1963: 6 years less a day", "LAB § 112, stk. 3; § 1 a, nr. 6 (68 år)", "1963-01-01",
			nil, span("ressourceforloeb", "2025-01-02", ""), "ressourceforloeb_6_aar", helhed.SeverityWarn},
		{"before the rule took effect", "LAB § 112, stk. 3 in force 1.1.2022 (L 209, 2020-21)", "1958-06-01",
			nil, span("ressourceforloeb", "2021-12-31", ""), "", ""},
		{"the day the rule took effect", "LAB § 112, stk. 3 in force 1.1.2022", "1958-06-01",
			nil, span("ressourceforloeb", "2022-01-01", ""), "ressourceforloeb_6_aar", helhed.SeverityWarn},
		{"ressourceforløb past folkepensionsalderen is refused, not warned", "§ 1 a; LAB § 112, stk. 3", "1955-07-01",
			nil, span("ressourceforloeb", "2022-07-01", ""), "folkepensionsalder", helhed.SeverityRefuse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := law.Check(d(tc.born), tc.history, tc.p, label)
			if tc.want == "" {
				if len(fs) != 0 {
					t.Errorf("%s: got %+v; want no finding", tc.source, fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Rule != tc.want || fs[0].Severity != tc.sev || fs[0].Message == "" {
				t.Fatalf("%s: got %+v; want one %s %s", tc.source, fs, tc.sev, tc.want)
			}
		})
	}
}

// The messages are Danish and name the dates and the source.
func TestBenefitRuleMessages(t *testing.T) {
	t.Parallel()
	law := testLaw()
	fs := law.Check(d("1962-12-31"), nil, helhed.BenefitSpan{Benefit: "ressourceforloeb", Start: d("2024-01-01")}, label)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "mindre end 6 år til folkepensionsalderen (67 år, nås den 31. december 2029)") ||
		!strings.Contains(fs[0].Message, "LAB § 112, stk. 3") || !strings.Contains(fs[0].Message, "ønsker det selv") || fs[0].Field != helhed.RuleFieldBenefit {
		t.Errorf("LAB § 112, stk. 3: %+v", fs)
	}
	fs = law.Check(d("1980-05-05"), []helhed.BenefitSpan{{Benefit: "kontanthjaelp", Start: d("2024-01-01"), End: dp("2024-03-31")}},
		helhed.BenefitSpan{Benefit: "sygedagpenge", Start: d("2024-03-31")}, label)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "fra 1. januar 2024 til 31. marts 2024") || fs[0].Field != helhed.RuleFieldStart {
		t.Errorf("overlap: %+v", fs)
	}
	if got := helhed.AgeText(786); got != "65½ år" {
		t.Errorf("AgeText(786) = %q", got)
	}
}

// FuzzBenefitRules: the engine never panics, overlap is symmetric between two
// forsørgelsesydelser, adjacent periods never overlap, and every finding has a message.
func FuzzBenefitRules(f *testing.F) {
	f.Add(uint8(0), uint8(2), int16(100), int16(30), int16(130), int16(60), int32(7000), false)
	f.Add(uint8(6), uint8(8), int16(0), int16(0), int16(0), int16(-1), int32(-20000), true)
	law := testLaw()
	all := append(append([]string{}, forsoergelse...), "fleksjob", "ukendt")
	base := d("2020-01-01")
	f.Fuzz(func(t *testing.T, a, b uint8, aStart, aLen, bStart, bLen int16, birthDays int32, running bool) {
		mk := func(code uint8, start, length int16, open bool) helhed.BenefitSpan {
			s := helhed.BenefitSpan{Benefit: all[int(code)%len(all)], Start: base.AddDate(0, 0, int(start))}
			if !open && length >= 0 {
				e := s.Start.AddDate(0, 0, int(length))
				s.End = &e
			}
			return s
		}
		pa, pb := mk(a, aStart, aLen, running), mk(b, bStart, bLen, false)
		birth := base.AddDate(0, 0, int(birthDays))
		fab := law.Check(birth, []helhed.BenefitSpan{pa}, pb, label)
		fba := law.Check(birth, []helhed.BenefitSpan{pb}, pa, label)
		for _, fs := range [][]helhed.RuleFinding{fab, fba} {
			for _, x := range fs {
				if x.Message == "" || x.Rule == "" || (x.Severity != helhed.SeverityRefuse && x.Severity != helhed.SeverityWarn) {
					t.Fatalf("finding without message or severity: %+v", x)
				}
			}
		}
		has := func(fs []helhed.RuleFinding) bool {
			for _, x := range fs {
				if x.Rule == "forsoergelse_overlap" {
					return true
				}
			}
			return false
		}
		isF := func(s string) bool {
			for _, x := range forsoergelse {
				if x == s {
					return true
				}
			}
			return false
		}
		if isF(pa.Benefit) && isF(pb.Benefit) && has(fab) != has(fba) {
			t.Fatalf("overlap not symmetric: %+v / %+v: %v vs %v", pa, pb, fab, fba)
		}
		if pa.End != nil && pb.Start.Equal(pa.End.AddDate(0, 0, 1)) && pb.End != nil && has(fab) {
			t.Fatalf("adjacent periods overlap: %+v then %+v", pa, pb)
		}
	})
}
