// Package access is Helhed's one access policy: may this user do this action, to this object?
//
// Every handler asks here, for every object it touches, before it reads or writes. The policy
// is deliberately a pure function of the user and the user's relation to the object; the store
// computes the relation in one query (Relation), so the rules can be tested as a table without a
// database and read by an auditor in one file.
package access

// Role codes. Roles are data (table roles: labels and descriptions are editable), but what a
// role may do is policy, and policy lives here.
const (
	RoleCaseworker = "sagsbehandler"
	RoleHealth     = "sundhedsmedarbejder"
	RoleSocial     = "socialmedarbejder"
	RoleRehabTeam  = "rehabteam"
	RoleManager    = "leder"
	RoleAdmin      = "admin"
)

// User is who is asking.
type User struct {
	ID     int64
	UnitID int64
	Role   string
}

// Action is something a user wants to do.
type Action string

// Function-level actions (no particular object).
const (
	ListOwnCaseload  Action = "caseload.own"   // "Mine borgere"
	ListUnitCitizens Action = "caseload.unit"  // all citizens of the user's unit
	SearchCitizens   Action = "citizen.search" // search by name or CPR
	CreateCitizen    Action = "citizen.create"
	ManageUsers      Action = "admin.users"
	ManageUnits      Action = "admin.units"
	ManageRoles      Action = "admin.roles"
	ManageReference  Action = "admin.reference"
	ViewAuditLog     Action = "admin.audit"
)

// Object-level actions on one citizen.
const (
	ViewCitizen Action = "citizen.view"
	EditCitizen Action = "citizen.edit"
	RevealCPR   Action = "citizen.reveal_cpr"
	// ViewHealthData covers screening answers, TFA health tracks and referral health details.
	ViewHealthData Action = "citizen.health"
	// RecordScreening: screen the citizen or override a screening's group.
	RecordScreening Action = "citizen.screening"
	// ManageConsent: record or withdraw the citizen's consents.
	ManageConsent Action = "citizen.consent"
	// ExportCitizen: produce the citizen's data export (GDPR art. 15 access request).
	ExportCitizen Action = "citizen.export"
)

// Relation is what connects a user to a citizen. The store fills it for one (user, citizen)
// pair in a single query; later features add fields (referrals to the user's unit, meeting
// agendas) without changing callers.
type Relation struct {
	CitizenUnitID int64
	CaseworkerID  int64 // the coordinating caseworker; 0 when none
	// ReferralToUnit: the citizen has a referral to an offer of the user's unit.
	ReferralToUnit bool
	// OnAgenda: the citizen is on the agenda of a rehabiliteringsteam meeting the user sits on,
	// inside the meeting's access window.
	OnAgenda bool
	// HealthConsent: a current consent lets health information reach the user's unit.
	HealthConsent bool
}

// employmentSide reports whether the user works on the citizen's own case-holding unit
// (jobcenter staff and their leader): they hold the case, and see it in full.
func employmentSide(u User, rel Relation) bool {
	return (u.Role == RoleCaseworker || u.Role == RoleManager) && u.UnitID == rel.CitizenUnitID
}

// Can answers function-level questions: may the user do a before any object is involved?
func Can(u User, a Action) bool {
	switch a {
	case ListOwnCaseload:
		return u.Role == RoleCaseworker
	case ListUnitCitizens:
		return u.Role == RoleCaseworker || u.Role == RoleManager
	case SearchCitizens:
		return u.Role == RoleCaseworker || u.Role == RoleManager
	case CreateCitizen:
		return u.Role == RoleCaseworker || u.Role == RoleManager
	case ManageUsers, ManageUnits, ManageRoles, ManageReference, ViewAuditLog:
		return u.Role == RoleAdmin
	}
	return false
}

// CanCitizen answers object-level questions about one citizen. Unknown actions are refused:
// the policy fails closed.
func CanCitizen(u User, a Action, rel Relation) bool {
	if u.ID == 0 {
		return false
	}
	switch a {
	case ViewCitizen:
		// The case-holding unit sees its citizens; others only through a concrete, current
		// relation: a referral to their unit or a meeting agenda they sit on (need to know).
		return employmentSide(u, rel) ||
			((u.Role == RoleHealth || u.Role == RoleSocial) && rel.ReferralToUnit) ||
			(u.Role == RoleRehabTeam && rel.OnAgenda)
	case EditCitizen, RecordScreening, ManageConsent, ExportCitizen:
		// The case-holding unit works the case: it edits, screens the citizen in the
		// conversation, and records the consents the citizen gives it.
		return employmentSide(u, rel)
	case RevealCPR:
		// Only the case-holding unit may see the full CPR number, and only on purpose (audited).
		return employmentSide(u, rel)
	case ViewHealthData:
		// Health information about the citizen is recorded by the jobcenter in the
		// conversation with the citizen; other administrations see it only under a current
		// consent (forvaltningsloven § 28, retssikkerhedsloven § 11 a).
		if employmentSide(u, rel) {
			return true
		}
		return CanCitizen(u, ViewCitizen, rel) && rel.HealthConsent
	}
	return false
}
