"""The data tables behind `services.demo`: names, towns and streets, workplaces, weights and texts."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, TypeVar

from feltkonsulent.domain.enums import (
    Outcome,
    PlacementKind,
    Purpose,
    Readiness,
    Sector,
    SupportRole,
    TargetGroup,
    VisitMode,
)

T = TypeVar("T")
K = PlacementKind
G = TargetGroup


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines())


class Choice(Generic[T]):
    """A weighted choice among fixed options; the cumulative weights are summed once."""

    def __init__(self, weights: Mapping[T, int]) -> None:
        self.options = tuple(weights)
        self.cumulative = tuple(accumulate(weights.values()))

    def __call__(self, rng: random.Random) -> T:
        return rng.choices(self.options, cum_weights=self.cumulative)[0]


# -- people -------------------------------------------------------------------------------
# origin: (men, women, surnames)
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "dansk": (
        _w(
            "Mads Søren Jens Lars Henrik Morten Thomas Rasmus Anders Kasper Mikkel Jesper Niels "
            "Peter Frederik Christian Martin Jonas Emil Bo Kim Michael Jakob Ole Poul Torben"
        ),
        _w(
            "Mette Anne Hanne Lene Camilla Louise Maria Pernille Susanne Tina Marianne Charlotte "
            "Ida Sofie Julie Signe Karen Birgitte Helle Lone Dorthe Rikke Trine Malene Line Gitte"
        ),
        _w(
            "Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
            "Jørgensen Petersen Madsen Kristensen Olsen Thomsen Poulsen Johansen Møller Mortensen "
            "Knudsen Jakobsen Lind Holm Dahl Bach Krogh Vestergaard Østergaard Kjær Skov Brandt"
        ),
    ),
    "syrisk": (
        _w("Mohammad Ahmad Khaled Omar Mahmoud Yousef Ali Hassan Bilal Firas Rami Samer"),
        _w("Fatima Rasha Hiba Lina Noor Amal Rania Huda Yasmin Ghada Reem Dima"),
        _w("Al-Hassan Al-Khatib Haddad Darwish Khalil Ibrahim Al-Ahmad Hamdan Nasser Sabbagh Kassab Mansour"),
    ),
    "afghansk": (
        _w("Mohammad Abdul Farid Hamid Jawad Karim Mustafa Naveed Rahim Sayed Wahid Zabihullah"),
        _w("Fereshta Mariam Nargis Parwana Shabnam Zahra Sakina Farzana Laila Nazia Madina"),
        _w("Ahmadi Hakimi Karimi Noori Rahimi Sultani Haidari Mohammadi Rezaei Sadat Jafari"),
    ),
    "eritreisk": (
        _w("Yonas Tesfay Dawit Habte Kidane Mehari Yohannes Filmon Semere Amanuel Goitom Biniam"),
        _w("Selam Helen Senait Saba Mebrat Luwam Rahel Winta Feven Tsega Abrehet Yordanos"),
        _w("Tesfamariam Gebremedhin Haile Tekle Berhane Ghebreyesus Kahsay Woldu Asmerom Abraha Negash"),
    ),
    "somalisk": (
        _w("Abdi Abdirahman Mohamed Hassan Ahmed Yusuf Abdullahi Mustafe Liban Ismail"),
        _w("Hodan Fadumo Amina Sahra Hawa Ifrah Nimco Ayan Sagal Ubah"),
        _w("Warsame Farah Abdi Osman Jama Hirsi Aden Ali Nur Egal Mohamud Yusuf"),
    ),
    "ukrainsk": (
        _w("Oleksandr Andrii Dmytro Serhii Mykola Ivan Yurii Vasyl Bohdan Taras"),
        _w("Olena Iryna Nataliia Tetiana Oksana Yuliia Svitlana Kateryna Anastasiia Halyna"),
        _w(
            "Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Melnyk Boiko Polishchuk "
            "Lysenko Savchenko Rudenko Marchenko"
        ),
    ),
    "irakisk": (
        _w("Haider Mustafa Ali Hussein Ammar Zaid Abbas Muhannad Karrar Saif"),
        _w("Zainab Noor Maryam Shahad Rusul Dalia Israa Hawraa Sara Ban"),
        _w("Al-Jubouri Al-Saadi Al-Tamimi Al-Obaidi Kadhim Jabbar Al-Rubaie Hashim Salman"),
    ),
    "iransk": (
        _w("Reza Amir Hossein Mehdi Saeed Babak Dariush"),
        _w("Shirin Maryam Parisa Leila Nasrin Mahsa Roya"),
        _w("Hosseini Rahmani Moradi Karimi Jafari Azizi Sadeghi"),
    ),
    "congolesisk": (
        _w("Jean-Paul Patrick Emmanuel Christian Joseph Olivier Didier"),
        _w("Esther Grace Aline Chantal Josephine Nadine Solange"),
        _w("Mukendi Ilunga Mbuyi Tshibangu Kalala Lukusa Mwamba Kasongo"),
    ),
}
FOREIGN = Choice(
    {
        "syrisk": 15,
        "afghansk": 11,
        "eritreisk": 11,
        "somalisk": 8,
        "ukrainsk": 16,
        "irakisk": 8,
        "iransk": 5,
        "congolesisk": 5,
    }
)
# How likely a citizen of the target group is Danish-born (the rest come from FOREIGN).
DANISH_SHARE = {
    G.INTEGRATION_PROGRAMME: 0.0,
    G.CASH_BENEFIT_JOB_READY: 0.4,
    G.CASH_BENEFIT_ACTIVITY_READY: 0.4,
    G.OTHER: 0.3,
}
GROUPS = Choice(
    {
        G.UNEMPLOYMENT_BENEFIT: 12,
        G.CASH_BENEFIT_JOB_READY: 12,
        G.CASH_BENEFIT_ACTIVITY_READY: 16,
        G.EDUCATION_BENEFIT: 7,
        G.SICKNESS_BENEFIT: 7,
        G.INTEGRATION_PROGRAMME: 36,
        G.GRADUATE: 4,
        G.SELF_SUPPORTING: 3,
        G.OTHER: 3,
    }
)
AGES = {G.EDUCATION_BENEFIT: (18, 29), G.GRADUATE: (23, 34), G.INTEGRATION_PROGRAMME: (18, 52)}
# The first option is the usual one, used where every readiness must be represented.
READINESS: dict[TargetGroup, tuple[Readiness | None, ...]] = {
    G.UNEMPLOYMENT_BENEFIT: (Readiness.JOB_READY,),
    G.CASH_BENEFIT_JOB_READY: (Readiness.JOB_READY,),
    G.CASH_BENEFIT_ACTIVITY_READY: (Readiness.ACTIVITY_READY,),
    G.EDUCATION_BENEFIT: (Readiness.EDUCATION_READY, Readiness.ACTIVITY_READY),
    G.SICKNESS_BENEFIT: (None,),
    G.INTEGRATION_PROGRAMME: (Readiness.JOB_READY, Readiness.ACTIVITY_READY),
    G.GRADUATE: (Readiness.JOB_READY,),
    G.SELF_SUPPORTING: (None,),
    G.OTHER: (None, Readiness.ACTIVITY_READY),
}
PASSED = ("Prøve i Dansk 2 bestået", "Prøve i Dansk 3 bestået", "Studieprøven bestået")
MAIL = ("gmail.com", "hotmail.com", "outlook.dk", "live.dk", "mail.dk")
MOBILE = _w("20 21 22 23 24 25 26 27 28 29 30 31 40 41 42 50 51 52 53 60 61 71 81 91 92 93")
CITIZEN_NOTES = _lines("""
    Skånehensyn: ingen tunge løft over 10 kg (ryg).
    Kan ikke møde før kl. 8, da børnene afleveres i institution.
    Ønsker arbejde i køkken; har erfaring som kok fra hjemlandet.
    Uddannet lærer i hjemlandet; uddannelsen er ikke godkendt i Danmark.
    Har kørekort B og egen cykel.
    Har tidligere arbejdet som chauffør; mangler dansk kørekort til lastbil.
    Går til behandling hos psykolog hver anden torsdag.
    Motiveret for social- og sundhedsuddannelsen.
""")

# -- workplaces ---------------------------------------------------------------------------
# (postal code, city, landline prefix, real streets in that city)
CITIES = (
    ("8000", "Aarhus C", "86", _lines("Søndergade\nFrederiksgade\nPark Allé\nMejlgade")),
    ("8200", "Aarhus N", "86", _lines("Randersvej\nFinlandsgade\nPaludan-Müllers Vej")),
    ("8210", "Aarhus V", "86", _lines("Silkeborgvej\nViborgvej\nVestre Ringgade")),
    ("7100", "Vejle", "75", _lines("Vestergade\nDæmningen\nVardevej\nBoulevarden")),
    ("6700", "Esbjerg", "75", _lines("Kongensgade\nTorvegade\nStormgade\nSkolegade")),
    ("2400", "København NV", "35", _lines("Frederikssundsvej\nTagensvej\nRentemestervej\nLygten")),
    ("2300", "København S", "32", _lines("Amagerbrogade\nEnglandsvej\nSundholmsvej")),
    ("2200", "København N", "35", _lines("Nørrebrogade\nJagtvej\nÅgade")),
    ("5000", "Odense C", "66", _lines("Vestergade\nKongensgade\nOvergade\nVindegade")),
    ("9000", "Aalborg", "98", _lines("Boulevarden\nVesterbro\nØsterågade\nDanmarksgade")),
    ("7400", "Herning", "97", _lines("Bredgade\nSilkeborgvej\nØstergade\nDalgasgade")),
    ("8700", "Horsens", "75", _lines("Søndergade\nNørregade\nSundvej")),
    ("6000", "Kolding", "75", _lines("Jernbanegade\nLåsbygade\nVejlevej\nHaderslevvej")),
    ("7500", "Holstebro", "97", _lines("Nørregade\nLægårdvej\nVestergade")),
    ("8600", "Silkeborg", "86", _lines("Vestergade\nSøndergade\nDrewsensvej")),
    ("4000", "Roskilde", "46", _lines("Algade\nKøbenhavnsvej\nRingstedvej")),
    ("8900", "Randers C", "86", _lines("Brødregade\nVestergade\nTronholmen")),
    ("6400", "Sønderborg", "74", _lines("Perlegade\nJernbanegade\nAugustenborg Landevej")),
    ("4700", "Næstved", "55", _lines("Axeltorv\nRingstedgade\nJernbanegade")),
    ("3400", "Hillerød", "48", _lines("Slotsgade\nHelsingørsgade\nMilnersvej")),
    ("4200", "Slagelse", "58", _lines("Slotsgade\nJernbanegade\nSorøvej")),
    ("5700", "Svendborg", "62", _lines("Gerritsgade\nMøllergade\nVestergade")),
    ("2650", "Hvidovre", "36", _lines("Hvidovrevej\nGammel Køge Landevej")),
    ("8800", "Viborg", "86", _lines("Sct. Mathias Gade\nGravene\nVesterbrogade")),
    ("6100", "Haderslev", "74", _lines("Nørregade\nBispegade\nSimmerstedvej")),
)
INDUSTRIAL = _lines("Industrivej\nHåndværkervej\nErhvervsvej\nTransportvej\nFabriksvej")
PLACES = _w(
    "Solgården Lindehuset Egebakken Kastaniegården Bøgely Rosenhaven Skovbrynet Åparken "
    "Møllehuset Fælledgården Mågen Spiren Troldehøj Birkely"
)


@dataclass(frozen=True)
class Profile:
    """A kind of workplace: how it is named, how big it is, who works there, what interns do."""

    industry: str
    names: tuple[str, ...]  # templates: {surname} {city} {street} {place}
    employees: tuple[int, int]
    roles: tuple[str, ...]
    tasks: tuple[str, ...]
    industrial: bool = False
    domain: str | None = None  # e-mail domain template; None: from the company name
    sector: Sector = Sector.PRIVATE


PROFILES = (
    Profile(
        "Bagerier og konditorier",
        _lines("{surname}s Bageri\nBageriet på {street}\n{city} Brød & Kage\nKonditori {surname}"),
        (3, 25),
        _lines("Bagermester\nButiksleder\nIndehaver"),
        _lines(
            "Opvask, rengøring af bageriet og klargøring af plader\n"
            "Ekspedition i butikken og opfyldning af brødhylder\n"
            "Smøring af sandwich og pakning af bestillinger"
        ),
    ),
    Profile(
        "Rengøring af bygninger",
        _lines(
            "{surname} Rengøring ApS\n{city} Erhvervsrengøring A/S\nRengøringsselskabet {surname} & Co. ApS"
        ),
        (10, 250),
        _lines("Driftsleder\nOmrådeleder\nHR-partner\nServiceleder"),
        _lines(
            "Daglig rengøring af kontorer og fællesarealer\n"
            "Gulvvask med maskine og affaldssortering\n"
            "Rengøring af skoler efter skoletid"
        ),
    ),
    Profile(
        "Plejehjem",
        _lines("Plejecenter {place}\nPlejehjemmet {place}"),
        (40, 200),
        _lines("Centerleder\nKøkkenleder\nAfdelingssygeplejerske\nTeamleder"),
        _lines(
            "Hjælp i køkkenet og anretning af måltider\n"
            "Samvær med beboerne, gåture og hjælp ved måltider\n"
            "Vasketøj, rengøring og oprydning i fællesstuerne"
        ),
        domain="{city}.dk",
        sector=Sector.PUBLIC,
    ),
    Profile(
        "Supermarkeder",
        _lines(
            "Netto {street}\nRema 1000 {city}\nSuperBrugsen {city}\nFøtex {city}\n"
            "Meny {city}\nLøvbjerg {city}"
        ),
        (12, 120),
        _lines("Butikschef\nSouschef\nVaremodtager\nHR-partner"),
        _lines(
            "Opfyldning af varer og kundeservice\n"
            "Varemodtagelse, datokontrol og oprydning på lageret\n"
            "Bake-off samt frugt og grønt"
        ),
    ),
    Profile(
        "Opførelse af bygninger",
        _lines(
            "{surname} Byg ApS\n{surname} & Søn Tømrer- og Snedkerfirma\n"
            "{city} Murer & Entreprise A/S\nTømrerfirmaet {surname}"
        ),
        (3, 80),
        _lines("Indehaver\nByggeleder\nFormand\nKontorchef"),
        _lines(
            "Oprydning på byggepladsen og bæring af materialer\n"
            "Hjælp til tømreren med montering af gips og lister\n"
            "Nedrivning og sortering af byggeaffald"
        ),
        industrial=True,
    ),
    Profile(
        "Kommunale institutioner",
        _lines(
            "{city} Kommune, Materielgården\n{city} Kommune, Park og Vej\n"
            "Børnehuset {place}\nGenbrugspladsen {city}"
        ),
        (15, 150),
        _lines("Institutionsleder\nDriftsleder\nPædagogisk leder\nAfdelingsleder"),
        _lines(
            "Pleje af grønne områder, græsslåning og lugning\n"
            "Køkkenhjælp: madlavning til børnene og opvask\n"
            "Sortering på genbrugspladsen og vejledning af borgere"
        ),
        domain="{city}.dk",
        sector=Sector.PUBLIC,
    ),
    Profile(
        "Restauranter",
        _lines("Restaurant {place}\nCafé {street}\nPizzeria Bella {city}\n{city} Grill & Burger"),
        (4, 40),
        _lines("Køkkenchef\nKøkkenleder\nRestaurantchef\nIndehaver"),
        _lines(
            "Opvask og rengøring af køkkenet\n"
            "Forberedelse af grøntsager og salater i det kolde køkken\n"
            "Servering, oprydning og borddækning"
        ),
    ),
    Profile(
        "Vejgodstransport og lager",
        _lines(
            "{surname} Transport A/S\n{city} Logistik ApS\n"
            "{surname} Lager & Distribution A/S\n{city} Fragt ApS"
        ),
        (20, 250),
        _lines("Lagerchef\nTransportleder\nHR-partner\nHoldleder"),
        _lines(
            "Plukning og pakning af ordrer på lageret\n"
            "Varemodtagelse og truckkørsel (efter truckcertifikat)\n"
            "Læsning og losning af lastbiler og scanning af kolli"
        ),
        industrial=True,
    ),
    Profile(
        "Værksteder",
        _lines(
            "{surname}s Autoværksted\n{city} Auto ApS\n{surname} Maskinfabrik A/S\n"
            "{city} Cykler & Service\nSmedefirmaet {surname}"
        ),
        (3, 60),
        _lines("Værkstedsformand\nIndehaver\nProduktionsleder\nMester"),
        _lines(
            "Dækskift, klargøring og vask af biler\n"
            "Oprydning i værkstedet, rengøring af værktøj og lager\n"
            "Slibning og svejsning under vejledning"
        ),
        industrial=True,
    ),
)
REPRESENTATIVE = ("Tillidsrepræsentant", "Arbejdsmiljørepræsentant")

# -- placements ---------------------------------------------------------------------------
# IGU is for refugees and reunified family only (L 82 2023/24).
KINDS: dict[TargetGroup | None, Choice[PlacementKind]] = {
    G.INTEGRATION_PROGRAMME: Choice(
        {K.INTERNSHIP: 45, K.IGU: 15, K.HYBRID: 15, K.ORDINARY_HOURS: 15, K.WAGE_SUBSIDY: 10}
    ),
    G.CASH_BENEFIT_ACTIVITY_READY: Choice(
        {K.INTERNSHIP: 60, K.HYBRID: 10, K.ORDINARY_HOURS: 20, K.WAGE_SUBSIDY: 10}
    ),
    None: Choice({K.INTERNSHIP: 50, K.WAGE_SUBSIDY: 30, K.HYBRID: 8, K.ORDINARY_HOURS: 12}),
}
WEEKS = {K.IGU: (104,), K.HYBRID: (8, 13, 13, 26), K.ORDINARY_HOURS: (13, 26, 52)}
# Wage subsidy within LAB § 68: at most 6 months with a private employer, 4 with a public one.
SUBSIDY_WEEKS = {Sector.PRIVATE: (13, 17, 26, 26), Sector.PUBLIC: (13, 17, 17)}
# Every 20th internship and wage subsidy goes beyond the limits: the rules engine flags them.
TOO_LONG = {K.INTERNSHIP: (16, 20, 26), K.WAGE_SUBSIDY: (39, 52)}
# Internship weeks within the limits of LAB § 61 for the target group (DOMAIN.md).
INTERNSHIP_WEEKS = {
    G.UNEMPLOYMENT_BENEFIT: (2, 3, 4),
    G.CASH_BENEFIT_JOB_READY: (4,),
    G.EDUCATION_BENEFIT: (4,),
    G.GRADUATE: (4, 8),
}
USUAL_INTERNSHIP_WEEKS = (4, 6, 8, 13, 13)
HOURS = {
    K.INTERNSHIP: _w("10 12 15 15 20 20 22.5 25 30 37 37"),
    K.WAGE_SUBSIDY: _w("25 30 37 37"),
    K.IGU: _w("25 30 37"),
    K.HYBRID: _w("5 6 8 10 12"),
    K.ORDINARY_HOURS: _w("3 4 5 8 10 12"),
}
PHASES = Choice({"ended": 40, "active": 42, "planned": 13, "cancelled": 5})
OUTCOMES = {
    K.INTERNSHIP: Choice(
        {
            Outcome.JOB: 20,
            Outcome.EDUCATION: 10,
            Outcome.IGU: 8,
            Outcome.WAGE_SUBSIDY: 22,
            Outcome.ENDED_WITHOUT_JOB: 40,
        }
    ),
    K.WAGE_SUBSIDY: Choice({Outcome.JOB: 45, Outcome.EDUCATION: 10, Outcome.ENDED_WITHOUT_JOB: 45}),
    K.IGU: Choice({Outcome.JOB: 60, Outcome.EDUCATION: 15, Outcome.ENDED_WITHOUT_JOB: 25}),
    K.HYBRID: Choice({Outcome.JOB: 40, Outcome.WAGE_SUBSIDY: 15, Outcome.ENDED_WITHOUT_JOB: 45}),
    K.ORDINARY_HOURS: Choice({Outcome.JOB: 40, Outcome.ENDED_WITHOUT_JOB: 60}),
}
WORKING_TIME = _lines("""
    Arbejdstid: mandag–fredag kl. 8–14.
    Arbejdstid: mandag, onsdag og fredag kl. 7–15.
    Arbejdstid: tirsdag–torsdag kl. 9–15.
    Arbejdstid: efter vagtplan, dog ikke i weekenden.
""")
GOALS: dict[Purpose | PlacementKind, tuple[str, ...]] = {
    Purpose.CLARIFICATION: _lines("""
        Afklare arbejdsevne og eventuelle skånehensyn
        Afklare om borgeren kan arbejde 20 timer om ugen
        Afklare faglige og sociale kompetencer på en arbejdsplads
        Afklare et realistisk jobmål inden for branchen
    """),
    Purpose.UPSKILLING: _lines("""
        Lære fagord og sikkerhedsregler på dansk
        Øge timetallet fra 15 til 25 timer om ugen
        Kunne udføre de daglige opgaver selvstændigt
        Bruge dansk i samtaler med kolleger og kunder
    """),
    Purpose.RECRUITMENT: _lines("""
        Ansættelse i løntilskud efter praktikken
        Ordinær ansættelse på mindst 25 timer om ugen
        Overgang til et IGU-forløb hos virksomheden
        Afklare ansættelse som servicemedarbejder
    """),
    K.WAGE_SUBSIDY: _lines("""
        Opnå ordinær ansættelse efter løntilskuddet
        Opbygge aktuel erhvervserfaring og en reference
    """),
    K.IGU: _lines("""
        Gennemføre skoleundervisningen (AMU-kurser) i forløbet
        Bestå næste modul på danskuddannelsen
        Ordinær ansættelse efter endt IGU
    """),
    K.ORDINARY_HOURS: _lines("""
        Fastholde småjobbet og øge timetallet
        Komme ud af kontanthjælp gennem flere løntimer
    """),
}

# -- support and visits -------------------------------------------------------------------
ROLES = Choice({SupportRole.BUDDY: 50, SupportRole.MENTOR: 35, SupportRole.CULTURE_GUIDE: 15})
SUPPORT_WEEKS = {
    SupportRole.BUDDY: (4, 8, 13),
    SupportRole.MENTOR: (13, 26),
    SupportRole.CULTURE_GUIDE: (4, 6, 8),
}
SUPPORT_HOURS = {
    SupportRole.BUDDY: _w("1 1.5 2 2.5 3"),
    SupportRole.MENTOR: _w("2 3 4 5"),
    SupportRole.CULTURE_GUIDE: _w("1 1.5 2"),
}
RATES = _w("200 200 200 225 250")
SUPPORT_NOTES = {
    SupportRole.BUDDY: "Frikøb af buddy aftalt med {contact}. Fast tid sammen mandag morgen.",
    SupportRole.MENTOR: "Mentorstøtte efter LAB kap. 18. Opfølgning med jobcentret hver 4. uge.",
    SupportRole.CULTURE_GUIDE: "Kulturguide: pauser, omgangstone og uskrevne regler.",
}
MEETINGS = _lines("""
    To gange om ugen, 20 minutter
    Dagligt ved morgenmødet, 10 minutter
    Hver fredag, 30 minutter
    Tre gange om ugen i frokostpausen
    Ugentligt sammen med sproglæreren
""")
FOCUS = _lines("""
    Fagord
    Sikkerhed
    Small talk i frokostpausen
    Telefonsamtaler
    Skriftlige beskeder og vagtplan
    Kundeservice
    Udtale
    Instruktioner og arbejdsgange
    Hygiejneregler
""")
MODES = Choice({VisitMode.ON_SITE: 65, VisitMode.PHONE: 25, VisitMode.VIDEO: 10})
NOTES = _lines("""
    Godt forløb. {first} møder stabilt og er glad for kollegerne; {contact} roser tempoet.
    {first} har haft fravær to dage pga. sygt barn. Vi aftaler at ringe til {contact} ved fravær.
    Misforståelse om pauser afklaret med tolk. Alle parter er tilfredse med løsningen.
    Sprogmakkeren fortæller, at {first} bruger flere fagord. Vi øver sikkerhedsord til næste gang.
    {contact} overvejer ansættelse i løntilskud, når praktikken slutter.
    {first} er usikker på vagtplanen; {contact} laver en skriftlig plan med billeder.
    Risiko for at miste jobbet: {first} kommer for sent. Vi taler om transport og vækkeur.
    {first} vil gerne have flere timer. {contact} ser på det efter næste vagtplan.
    Samarbejdet med buddy fungerer godt. {first} arbejder nu mere selvstændigt.
    {first} har ondt i ryggen efter løft. Vi aftaler lettere opgaver de næste to uger.
""")
ACTIONS = _lines("""
    Konsulenten sender den nye vagtplan på mail.
    Buddy gennemgår sikkerhedsreglerne igen.
    Opfølgning med tolk om to uger.
    Jobcentret undersøger transportgodtgørelse.
    Lederen vurderer muligheden for flere timer.
    Borgeren melder fravær til lederen inden kl. 7.
    Konsulenten sender ansøgning om løntilskud.
    Ingen nye aftaler; forløbet fortsætter som planlagt.
""")
PLANNED_NOTES = (
    None,
    "Opfølgningsbesøg på arbejdspladsen.",
    "Telefonisk opfølgning.",
    "Trepartssamtale med borger og leder.",
)
FORCED_DUE_DAYS = (0, 3)  # the first active placements: a visit due today, one overdue
# Why the consultant went on past a rule's finding (services.rules.go_on_past).
OVERRIDE_REASONS = {
    "internship_too_long": "Forlænget efter aftale med borger og virksomhed: nyt indhold med "
    "fokus på fagord er beskrevet i aftalen.",
    "wage_subsidy_too_long": "Forlængelse godkendt af teamleder; ordinær ansættelse er aftalt "
    "fra næste kvartal.",
    "hours_above_full_time": "Virksomhedens normale arbejdstid er 40 timer efter overenskomsten; "
    "borgeren følger holdet.",
    "ratio_exceeded": "Virksomheden og tillidsrepræsentanten har bekræftet rimelighedskravet skriftligt.",
}
OVERRIDE_REASON = "Drøftet med teamleder; vi går videre, og begrundelsen er noteret i sagen."
