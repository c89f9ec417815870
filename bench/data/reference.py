"""The benchmark MASH's fixed inputs: its clock, its names and streets, its 20 agencies."""

from datetime import UTC, datetime

from mash.agencies.models import AgencyKind

PASSWORD = "bench-password"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # fixed, so the same seed builds the same MASH
YEARS = 4
OPEN_DAYS = 60
NOT_SOUGHT = "Seeking consent would place the child at risk."
KNOWN = "Known to the service: contact in the last two years."
DETAIL = "Details of the contact, the concern raised and the action taken."

GIVEN = (  # noqa: SIM905
    "Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James Henry Leo Alfie "
    "Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Logan Lucas Daniel Theo Arthur "
    "Mohammed Harrison Benjamin Mason Finley Sebastian Adam Dylan Zachary Riley Teddy Theodore David Toby "
    "Jake Louie Elijah Reuben Arlo Hugo Luca Jaxon Matthew Harvey Reggie Michael Harley Jude Albert Tommy "
    "Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Evie Grace Sophia Sophie Florence Freya "
    "Charlotte Jessica Daisy Sienna Alice Phoebe Matilda Ruby Evelyn Willow Ivy Elsie Rosie Millie Esme "
    "Harper Emilia Chloe Eva Lucy Layla Ellie Maya Lola Erin Holly Imogen Emma Scarlett Thea Aria Hannah "
    "Bethany Megan Courtney Chantelle Jade Kayleigh Stacey Kirsty Leanne Aaliyah Zara Amira Fatima Aisha "
    "Jayden Kai Tyler Kyle Connor Callum Liam Declan Ryan Kieran Shannon Tia Demi Kacey Ricky Wayne Dean "
    "Gary Darren Craig Lee Stuart Paul Mark Andrew Stephen Karen Sharon Tracey Nicola Joanne Claire Lisa"
).split()
FAMILY = (  # noqa: SIM905
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright "
    "Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill "
    "Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker "
    "Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy "
    "Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman "
    "Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight "
    "Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher "
    "Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks "
    "West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry "
    "Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr "
    "Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson "
    "Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess "
    "Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton "
    "McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers "
    "O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George Jordan "
    "Hutchinson Rahman Akhtar Mahmood Iqbal Nowak Kowalski Wisniewski Popescu Ionescu Okafor Adeyemi "
    "Mensah Osei Nguyen Chen Wang Kaya Demir Yilmaz Silva Santos Ferreira Costa Rossi Russo Doherty"
).split()
STREETS = "High Street;Station Road;Church Lane;Park Avenue;Victoria Road;Mill Lane;Queens Road;York Street"
STREETS = STREETS.split(";")

# 20 agencies: (name, kind, weight of being asked about a referral). The lead asks the others.
AGENCIES = [
    ("Bench MASH Children's and Adults' Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE, 0),
    ("Bench Police", AgencyKind.POLICE, 95),
    ("Bench Community Health", AgencyKind.HEALTH, 85),
    ("Bench Education Safeguarding", AgencyKind.EDUCATION, 70),
    ("Bench Early Help", AgencyKind.CHILDREN_YOUNG_PEOPLE, 40),
    ("Bench Adult Social Care", AgencyKind.ADULT_SERVICES, 25),
    ("Bench Acute Hospital Trust", AgencyKind.HEALTH, 30),
    ("Bench Mental Health Trust", AgencyKind.HEALTH, 20),
    ("Bench Probation", AgencyKind.OTHER, 12),
    ("Bench Housing", AgencyKind.OTHER, 10),
    ("Bench Youth Justice", AgencyKind.CHILDREN_YOUNG_PEOPLE, 10),
    ("Bench Ambulance Service", AgencyKind.HEALTH, 6),
    ("Bench Substance Misuse Service", AgencyKind.HEALTH, 6),
    ("Bench Domestic Abuse Service", AgencyKind.OTHER, 8),
    ("Bench Fire and Rescue", AgencyKind.OTHER, 3),
    ("Bench GP Safeguarding", AgencyKind.HEALTH, 8),
    ("Bench Independent Schools", AgencyKind.EDUCATION, 4),
    ("Bench Further Education", AgencyKind.EDUCATION, 3),
    ("Bench Leaving Care", AgencyKind.CHILDREN_YOUNG_PEOPLE, 3),
    ("Bench Immigration Enforcement", AgencyKind.OTHER, 2),
]
# The six partner agencies of the fan-out figure: 25 researchers each.
FANOUT_AGENCIES = 6
FANOUT_RESEARCHERS = 25
