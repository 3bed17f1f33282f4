package seed

// The word lists the generator draws from. They are common Danish names and
// ordinary street names, so the demo looks plausible, combined at random, so
// no row describes a real person: the CPR numbers are fictitious by
// construction (helhed.FictitiousCPR), and a name plus a random street and
// phone number is not anyone's record.

// femaleFirstNames are common Danish women's first names (Danmarks
// Statistik's top lists across generations, so ages 18–66 all look natural).
var femaleFirstNames = []string{
	"Anne", "Kirsten", "Mette", "Hanne", "Helle", "Susanne", "Lene", "Maria",
	"Marianne", "Camilla", "Pia", "Louise", "Charlotte", "Tina", "Gitte",
	"Bente", "Julie", "Emma", "Ida", "Sofie", "Laura", "Anna", "Freja", "Clara",
	"Caroline", "Line", "Lone", "Birgitte", "Karina", "Heidi", "Rikke", "Maja",
	"Sara", "Cecilie", "Josefine", "Mathilde", "Nanna", "Stine", "Trine",
	"Malene", "Dorthe", "Jette", "Signe", "Katrine", "Amalie", "Emilie",
}

// maleFirstNames are common Danish men's first names.
var maleFirstNames = []string{
	"Peter", "Jens", "Lars", "Michael", "Henrik", "Thomas", "Søren", "Jan",
	"Niels", "Christian", "Martin", "Anders", "Morten", "Jesper", "Mads",
	"Rasmus", "Per", "Hans", "Jørgen", "Ole", "Kim", "Brian", "Jacob", "Kasper",
	"Mikkel", "Nikolaj", "Frederik", "Mathias", "Emil", "Oliver", "William",
	"Lucas", "Noah", "Magnus", "Jonas", "Simon", "Tobias", "Casper", "Daniel",
	"Kenneth", "René", "Torben", "Bo", "Carsten", "Allan", "Steen",
}

// lastNames are the most common Danish surnames, roughly in order of
// frequency; the generator weights the head of the list more, as reality does.
var lastNames = []string{
	"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen",
	"Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen",
	"Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen",
	"Møller", "Mortensen", "Knudsen", "Jakobsen", "Jacobsen", "Mikkelsen",
	"Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt",
	"Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen",
	"Iversen", "Jeppesen", "Mogensen", "Jespersen", "Nissen", "Lauridsen",
	"Frandsen", "Østergaard", "Jepsen", "Kjær", "Carlsen", "Vestergaard",
	"Jessen", "Nørgaard", "Dahl", "Christoffersen", "Bertelsen", "Skov",
}

// streetNames are street names of the kind every Zealand town has.
var streetNames = []string{
	"Hovedgaden", "Stationsvej", "Skolevej", "Kirkevej", "Møllevej",
	"Ringstedvej", "Præstøvej", "Køgevej", "Næstvedvej", "Vestergade",
	"Østergade", "Nørregade", "Søndergade", "Torvegade", "Jernbanegade",
	"Bakkevej", "Engvej", "Skovvej", "Søvej", "Strandvej", "Havnevej",
	"Birkevej", "Egevej", "Bøgevej", "Lindevej", "Rosenvej", "Syrenvej",
	"Kastanievej", "Ahornvej", "Valmuevej", "Fasanvej", "Lærkevej",
	"Mågevej", "Svanevej", "Drosselvej", "Granvej", "Humlevej", "Kløvervej",
	"Tingvej", "Bredgade", "Vordingborgvej", "Fakse Ladepladsvej",
	"Frederiksgade", "Jyllandsvej", "Fynsvej", "Ellebækvej", "Karisevej",
	"Teglværksvej", "Gartnervej", "Idrætsvej",
}

// town is a postal code and its town name.
type town struct {
	PostalCode, City string
	weight           int // share of the municipality's population, roughly
}

// towns lie in and around Faxe Kommune, weighted so most citizens live in
// the municipality's own towns (a jobcenter's citizens live locally).
var towns = []town{
	{"4640", "Faxe", 18},
	{"4690", "Haslev", 22},
	{"4654", "Faxe Ladeplads", 6},
	{"4653", "Karise", 5},
	{"4683", "Rønnede", 5},
	{"4673", "Rødvig Stevns", 1},
	{"4682", "Tureby", 2},
	{"4684", "Holmegaard", 2},
	{"4652", "Hårlev", 2},
	{"4660", "Store Heddinge", 2},
	{"4600", "Køge", 3},
	{"4700", "Næstved", 3},
	{"4681", "Herfølge", 1},
	{"4733", "Tappernøje", 1},
	{"4160", "Herlufmagle", 1},
}

// floors are the optional floor/door suffixes of Danish flat addresses;
// empty strings make most addresses houses.
var floors = []string{
	"", "", "", "", "", "", "", "", "", "",
	", st. th.", ", st. tv.", ", 1. th.", ", 1. tv.", ", 2. th.", ", 2. tv.",
	", 1. mf.", ", 3. th.",
}

// emailDomains are reserved example domains (RFC 2606/6761), so a demo that
// ever sends mail cannot reach anyone.
var emailDomains = []string{"mail.example", "post.example", "example.com", "example.net"}

// asciiFold maps the Danish letters and accents to what people use in email
// addresses and usernames.
var asciiFold = map[rune]string{
	'æ': "ae", 'ø': "oe", 'å': "aa", 'Æ': "ae", 'Ø': "oe", 'Å': "aa", 'é': "e", 'É': "e",
}
