package samlauth

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"strings"
)

// The OIO Basic Privilege Profile (OIO-BPP) carries a user's privileges as a base64-encoded
// XML PrivilegeList in one attribute (OIOSAML 3: privilegesIntermediate; OIOSAML 2:
// Privileges_intermediate):
//
//	<bpp:PrivilegeList xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile">
//	  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:12345678">
//	    <Constraint Name="http://sts.kombit.dk/constraints/orgenhed/1">…</Constraint>
//	    <Privilege>http://kommune.dk/roles/usersystemrole/sagsbehandler/1</Privilege>
//	  </PrivilegeGroup>
//	</bpp:PrivilegeList>
//
// Helhed maps groups, so each privilege becomes a group named by its URI, and each privilege
// held under a constraint also the group "URI|constraint-name=value": an administrator can
// then map a privilege for one organisational unit to one Helhed unit.

type privilegeList struct {
	XMLName xml.Name         `xml:"PrivilegeList"`
	Groups  []privilegeGroup `xml:"PrivilegeGroup"`
}

type privilegeGroup struct {
	Scope       string       `xml:"Scope,attr"`
	Constraints []constraint `xml:"Constraint"`
	Privileges  []string     `xml:"Privilege"`
}

type constraint struct {
	Name  string `xml:"Name,attr"`
	Value string `xml:",chardata"`
}

// maxBPP bounds a privilege list (KOMBIT's lists run to some kilobytes).
const maxBPP = 256 << 10

// Privileges reads an OIO-BPP attribute value as groups (see above). ok is false when the
// value is not a privilege list, so the caller treats it as a plain group name.
func Privileges(value string) (groups []string, ok bool, err error) {
	v := strings.TrimSpace(value)
	if len(v) > maxBPP*4/3+4 {
		return nil, false, errors.New("privilege list too large")
	}
	raw, derr := base64.StdEncoding.DecodeString(v)
	if derr != nil || !strings.Contains(string(raw), "PrivilegeList") {
		return nil, false, nil
	}
	var pl privilegeList
	if err := xml.Unmarshal(raw, &pl); err != nil {
		return nil, true, errors.New("privilege list is not well-formed XML")
	}
	seen := map[string]bool{}
	add := func(g string) {
		if g != "" && !seen[g] {
			seen[g] = true
			groups = append(groups, g)
		}
	}
	for _, pg := range pl.Groups {
		for _, p := range pg.Privileges {
			p = strings.TrimSpace(p)
			add(p)
			for _, c := range pg.Constraints {
				add(p + "|" + strings.TrimSpace(c.Name) + "=" + strings.TrimSpace(c.Value))
			}
		}
	}
	return groups, true, nil
}
