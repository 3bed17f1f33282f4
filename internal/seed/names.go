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

// streetNames are street names of the kind every town in Faxe Kommune has: the roads named
// after the neighbouring towns (Ringstedvej, Præstøvej, Køgevej …) and the ordinary
// residential names. Any name may go with any of the towns below.
var streetNames = []string{
	"Hovedgaden", "Stationsvej", "Skolevej", "Kirkevej", "Møllevej",
	"Ringstedvej", "Præstøvej", "Køgevej", "Næstvedvej", "Vestergade",
	"Østergade", "Nørregade", "Søndergade", "Torvegade", "Jernbanegade",
	"Bakkevej", "Engvej", "Skovvej", "Søvej", "Bregentvedvej", "Gisselfeldvej",
	"Birkevej", "Egevej", "Bøgevej", "Lindevej", "Rosenvej", "Syrenvej",
	"Kastanievej", "Ahornvej", "Valmuevej", "Fasanvej", "Lærkevej",
	"Mågevej", "Svanevej", "Drosselvej", "Granvej", "Humlevej", "Kløvervej",
	"Tingvej", "Bredgade", "Vordingborgvej", "Fakse Ladepladsvej",
	"Frederiksgade", "Kalkbrudsvej", "Vemmetoftevej", "Ellebækvej", "Karisevej",
	"Teglværksvej", "Gartnervej", "Idrætsvej",
}

// town is a postal code and its town name.
type town struct {
	PostalCode, City string
	weight           int // share of the municipality's population, roughly
}

// municipality is the demo municipality, whose citizens the demo and scale data are.
const municipality = "Faxe Kommune"

// towns are the postal districts of Faxe Kommune's towns (Haslev, the administrative
// centre, is the largest; Faxe, Faxe Ladeplads, Karise and Rønnede; the villages share their
// postal districts), weighted roughly by population, so every citizen lives in the
// municipality whose jobcenter holds the case.
var towns = []town{
	{"4690", "Haslev", 40},
	{"4640", "Faxe", 28},
	{"4654", "Faxe Ladeplads", 10},
	{"4653", "Karise", 8},
	{"4683", "Rønnede", 8},
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
