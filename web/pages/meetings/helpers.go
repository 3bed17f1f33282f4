package meetings

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

func prepOrder(ss []PrepSection) []string {
	out := make([]string, 0, len(ss)+1)
	for _, s := range ss {
		out = append(out, s.Key)
	}
	return append(out, "version")
}
