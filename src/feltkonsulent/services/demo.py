"""Realistic Danish demo data of every kind, deterministic for a seed (`feltkonsulent demo`)."""

from __future__ import annotations

import dataclasses
import random
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Generic, TypeVar

from feltkonsulent.domain.entities import (
    AftercareVisit,
    Citizen,
    Company,
    Contact,
    LanguagePartner,
    Placement,
    SupportArrangement,
)
from feltkonsulent.domain.enums import (
    Outcome,
    PlacementKind,
    PlacementStatus,
    Purpose,
    Readiness,
    Sector,
    SupportRole,
    TargetGroup,
    VisitMode,
)
from feltkonsulent.domain.rules import Severity
from feltkonsulent.services import rules
from feltkonsulent.services.workspace import PlacementRegistration, Workspace

T = TypeVar("T")
K = PlacementKind
G = TargetGroup


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines())


class _Choice(Generic[T]):
    """A weighted choice among fixed options; the cumulative weights are summed once."""

    def __init__(self, weights: Mapping[T, int]) -> None:
        self.options = tuple(weights)
        self.cumulative = tuple(accumulate(weights.values()))

    def __call__(self, rng: random.Random) -> T:
        return rng.choices(self.options, cum_weights=self.cumulative)[0]


# -- people -------------------------------------------------------------------------------
# origin: (men, women, surnames)
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "dansk": (
        _w("Mads Søren Jens Lars Henrik Morten Thomas Rasmus Anders Kasper Mikkel Jesper Niels "
           "Peter Frederik Christian Martin Jonas Emil Bo Kim Michael Jakob Ole Poul Torben"),
        _w("Mette Anne Hanne Lene Camilla Louise Maria Pernille Susanne Tina Marianne Charlotte "
           "Ida Sofie Julie Signe Karen Birgitte Helle Lone Dorthe Rikke Trine Malene Line Gitte"),
        _w("Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
           "Jørgensen Petersen Madsen Kristensen Olsen Thomsen Poulsen Johansen Møller Mortensen "
           "Knudsen Jakobsen Lind Holm Dahl Bach Krogh Vestergaard Østergaard Kjær Skov Brandt"),
    ),
    "syrisk": (
        _w("Mohammad Ahmad Khaled Omar Mahmoud Yousef Ali Hassan Bilal Firas Rami Samer"),
        _w("Fatima Rasha Hiba Lina Noor Amal Rania Huda Yasmin Ghada Reem Dima"),
        _w("Al-Hassan Al-Khatib Haddad Darwish Khalil Ibrahim Al-Ahmad Hamdan Nasser Sabbagh "
           "Kassab Mansour"),
    ),
    "afghansk": (
        _w("Mohammad Abdul Farid Hamid Jawad Karim Mustafa Naveed Rahim Sayed Wahid Zabihullah"),
        _w("Fereshta Mariam Nargis Parwana Shabnam Zahra Sakina Farzana Laila Nazia Madina"),
        _w("Ahmadi Hakimi Karimi Noori Rahimi Sultani Haidari Mohammadi Rezaei Sadat Jafari"),
    ),
    "eritreisk": (
        _w("Yonas Tesfay Dawit Habte Kidane Mehari Yohannes Filmon Semere Amanuel Goitom Biniam"),
        _w("Selam Helen Senait Saba Mebrat Luwam Rahel Winta Feven Tsega Abrehet Yordanos"),
        _w("Tesfamariam Gebremedhin Haile Tekle Berhane Ghebreyesus Kahsay Woldu Asmerom Abraha "
           "Negash"),
    ),
    "somalisk": (
        _w("Abdi Abdirahman Mohamed Hassan Ahmed Yusuf Abdullahi Mustafe Liban Ismail"),
        _w("Hodan Fadumo Amina Sahra Hawa Ifrah Nimco Ayan Sagal Ubah"),
        _w("Warsame Farah Abdi Osman Jama Hirsi Aden Ali Nur Egal Mohamud Yusuf"),
    ),
    "ukrainsk": (
        _w("Oleksandr Andrii Dmytro Serhii Mykola Ivan Yurii Vasyl Bohdan Taras"),
        _w("Olena Iryna Nataliia Tetiana Oksana Yuliia Svitlana Kateryna Anastasiia Halyna"),
        _w("Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Melnyk Boiko Polishchuk "
           "Lysenko Savchenko Rudenko Marchenko"),
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
_FOREIGN = _Choice({"syrisk": 15, "afghansk": 11, "eritreisk": 11, "somalisk": 8, "ukrainsk": 16,
            "irakisk": 8, "iransk": 5, "congolesisk": 5})
# How likely a citizen of the target group is Danish-born (the rest come from _FOREIGN).
_DANISH_SHARE = {G.INTEGRATION_PROGRAMME: 0.0, G.CASH_BENEFIT_JOB_READY: 0.4,
                 G.CASH_BENEFIT_ACTIVITY_READY: 0.4, G.OTHER: 0.3}
_GROUPS = _Choice({G.UNEMPLOYMENT_BENEFIT: 12, G.CASH_BENEFIT_JOB_READY: 12,
           G.CASH_BENEFIT_ACTIVITY_READY: 16, G.EDUCATION_BENEFIT: 7, G.SICKNESS_BENEFIT: 7,
           G.INTEGRATION_PROGRAMME: 36, G.GRADUATE: 4, G.SELF_SUPPORTING: 3, G.OTHER: 3})
_AGES = {G.EDUCATION_BENEFIT: (18, 29), G.GRADUATE: (23, 34), G.INTEGRATION_PROGRAMME: (18, 52)}
# The first option is the usual one, used where every readiness must be represented.
_READINESS: dict[TargetGroup, tuple[Readiness | None, ...]] = {
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
_PASSED = ("Prøve i Dansk 2 bestået", "Prøve i Dansk 3 bestået", "Studieprøven bestået")
_MAIL = ("gmail.com", "hotmail.com", "outlook.dk", "live.dk", "mail.dk")
_MOBILE = _w("20 21 22 23 24 25 26 27 28 29 30 31 40 41 42 50 51 52 53 60 61 71 81 91 92 93")
_CITIZEN_NOTES = _lines("""
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
_CITIES = (
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
_INDUSTRIAL = _lines("Industrivej\nHåndværkervej\nErhvervsvej\nTransportvej\nFabriksvej")
_PLACES = _w("Solgården Lindehuset Egebakken Kastaniegården Bøgely Rosenhaven Skovbrynet Åparken "
             "Møllehuset Fælledgården Mågen Spiren Troldehøj Birkely")


@dataclass(frozen=True)
class _Profile:
    """A kind of workplace: how it is named, how big it is, who works there, what interns do."""

    industry: str
    names: tuple[str, ...]  # templates: {surname} {city} {street} {place}
    employees: tuple[int, int]
    roles: tuple[str, ...]
    tasks: tuple[str, ...]
    industrial: bool = False
    domain: str | None = None  # e-mail domain template; None: from the company name
    sector: Sector = Sector.PRIVATE


_PROFILES = (
    _Profile("Bagerier og konditorier",
             _lines("{surname}s Bageri\nBageriet på {street}\n{city} Brød & Kage\n"
                    "Konditori {surname}"),
             (3, 25), _lines("Bagermester\nButiksleder\nIndehaver"),
             _lines("Opvask, rengøring af bageriet og klargøring af plader\n"
                    "Ekspedition i butikken og opfyldning af brødhylder\n"
                    "Smøring af sandwich og pakning af bestillinger")),
    _Profile("Rengøring af bygninger",
             _lines("{surname} Rengøring ApS\n{city} Erhvervsrengøring A/S\n"
                    "Rengøringsselskabet {surname} & Co. ApS"),
             (10, 250), _lines("Driftsleder\nOmrådeleder\nHR-partner\nServiceleder"),
             _lines("Daglig rengøring af kontorer og fællesarealer\n"
                    "Gulvvask med maskine og affaldssortering\n"
                    "Rengøring af skoler efter skoletid")),
    _Profile("Plejehjem",
             _lines("Plejecenter {place}\nPlejehjemmet {place}"),
             (40, 200), _lines("Centerleder\nKøkkenleder\nAfdelingssygeplejerske\nTeamleder"),
             _lines("Hjælp i køkkenet og anretning af måltider\n"
                    "Samvær med beboerne, gåture og hjælp ved måltider\n"
                    "Vasketøj, rengøring og oprydning i fællesstuerne"),
             domain="{city}.dk", sector=Sector.PUBLIC),
    _Profile("Supermarkeder",
             _lines("Netto {street}\nRema 1000 {city}\nSuperBrugsen {city}\nFøtex {city}\n"
                    "Meny {city}\nLøvbjerg {city}"),
             (12, 120), _lines("Butikschef\nSouschef\nVaremodtager\nHR-partner"),
             _lines("Opfyldning af varer og kundeservice\n"
                    "Varemodtagelse, datokontrol og oprydning på lageret\n"
                    "Bake-off samt frugt og grønt")),
    _Profile("Opførelse af bygninger",
             _lines("{surname} Byg ApS\n{surname} & Søn Tømrer- og Snedkerfirma\n"
                    "{city} Murer & Entreprise A/S\nTømrerfirmaet {surname}"),
             (3, 80), _lines("Indehaver\nByggeleder\nFormand\nKontorchef"),
             _lines("Oprydning på byggepladsen og bæring af materialer\n"
                    "Hjælp til tømreren med montering af gips og lister\n"
                    "Nedrivning og sortering af byggeaffald"), industrial=True),
    _Profile("Kommunale institutioner",
             _lines("{city} Kommune, Materielgården\n{city} Kommune, Park og Vej\n"
                    "Børnehuset {place}\nGenbrugspladsen {city}"),
             (15, 150), _lines("Institutionsleder\nDriftsleder\nPædagogisk leder\nAfdelingsleder"),
             _lines("Pleje af grønne områder, græsslåning og lugning\n"
                    "Køkkenhjælp: madlavning til børnene og opvask\n"
                    "Sortering på genbrugspladsen og vejledning af borgere"),
             domain="{city}.dk", sector=Sector.PUBLIC),
    _Profile("Restauranter",
             _lines("Restaurant {place}\nCafé {street}\nPizzeria Bella {city}\n"
                    "{city} Grill & Burger"),
             (4, 40), _lines("Køkkenchef\nKøkkenleder\nRestaurantchef\nIndehaver"),
             _lines("Opvask og rengøring af køkkenet\n"
                    "Forberedelse af grøntsager og salater i det kolde køkken\n"
                    "Servering, oprydning og borddækning")),
    _Profile("Vejgodstransport og lager",
             _lines("{surname} Transport A/S\n{city} Logistik ApS\n"
                    "{surname} Lager & Distribution A/S\n{city} Fragt ApS"),
             (20, 250), _lines("Lagerchef\nTransportleder\nHR-partner\nHoldleder"),
             _lines("Plukning og pakning af ordrer på lageret\n"
                    "Varemodtagelse og truckkørsel (efter truckcertifikat)\n"
                    "Læsning og losning af lastbiler og scanning af kolli"), industrial=True),
    _Profile("Værksteder",
             _lines("{surname}s Autoværksted\n{city} Auto ApS\n{surname} Maskinfabrik A/S\n"
                    "{city} Cykler & Service\nSmedefirmaet {surname}"),
             (3, 60), _lines("Værkstedsformand\nIndehaver\nProduktionsleder\nMester"),
             _lines("Dækskift, klargøring og vask af biler\n"
                    "Oprydning i værkstedet, rengøring af værktøj og lager\n"
                    "Slibning og svejsning under vejledning"), industrial=True),
)
_REPRESENTATIVE = ("Tillidsrepræsentant", "Arbejdsmiljørepræsentant")

# -- placements ---------------------------------------------------------------------------
# IGU is for refugees and reunified family only (L 82 2023/24).
_KINDS: dict[TargetGroup | None, _Choice[PlacementKind]] = {
    G.INTEGRATION_PROGRAMME: _Choice({K.INTERNSHIP: 45, K.IGU: 15, K.HYBRID: 15,
                                      K.ORDINARY_HOURS: 15, K.WAGE_SUBSIDY: 10}),
    G.CASH_BENEFIT_ACTIVITY_READY: _Choice({K.INTERNSHIP: 60, K.HYBRID: 10, K.ORDINARY_HOURS: 20,
                                            K.WAGE_SUBSIDY: 10}),
    None: _Choice({K.INTERNSHIP: 50, K.WAGE_SUBSIDY: 30, K.HYBRID: 8, K.ORDINARY_HOURS: 12}),
}
_WEEKS = {K.IGU: (104,), K.HYBRID: (8, 13, 13, 26), K.ORDINARY_HOURS: (13, 26, 52)}
# Wage subsidy within LAB § 68: at most 6 months with a private employer, 4 with a public one.
_SUBSIDY_WEEKS = {Sector.PRIVATE: (13, 17, 26, 26), Sector.PUBLIC: (13, 17, 17)}
# Every 20th internship and wage subsidy goes beyond the limits: the rules engine flags them.
_TOO_LONG = {K.INTERNSHIP: (16, 20, 26), K.WAGE_SUBSIDY: (39, 52)}
# Internship weeks within the limits of LAB § 61 for the target group (DOMAIN.md).
_INTERNSHIP_WEEKS = {G.UNEMPLOYMENT_BENEFIT: (2, 3, 4), G.CASH_BENEFIT_JOB_READY: (4,),
                     G.EDUCATION_BENEFIT: (4,), G.GRADUATE: (4, 8)}
_USUAL_INTERNSHIP_WEEKS = (4, 6, 8, 13, 13)
_HOURS = {K.INTERNSHIP: _w("10 12 15 15 20 20 22.5 25 30 37 37"), K.WAGE_SUBSIDY: _w("25 30 37 37"),
          K.IGU: _w("25 30 37"), K.HYBRID: _w("5 6 8 10 12"), K.ORDINARY_HOURS: _w("3 4 5 8 10 12")}
_PHASES = _Choice({"ended": 40, "active": 42, "planned": 13, "cancelled": 5})
_OUTCOMES = {
    K.INTERNSHIP: _Choice({Outcome.JOB: 20, Outcome.EDUCATION: 10, Outcome.IGU: 8,
                           Outcome.WAGE_SUBSIDY: 22, Outcome.ENDED_WITHOUT_JOB: 40}),
    K.WAGE_SUBSIDY: _Choice({Outcome.JOB: 45, Outcome.EDUCATION: 10,
                             Outcome.ENDED_WITHOUT_JOB: 45}),
    K.IGU: _Choice({Outcome.JOB: 60, Outcome.EDUCATION: 15, Outcome.ENDED_WITHOUT_JOB: 25}),
    K.HYBRID: _Choice({Outcome.JOB: 40, Outcome.WAGE_SUBSIDY: 15, Outcome.ENDED_WITHOUT_JOB: 45}),
    K.ORDINARY_HOURS: _Choice({Outcome.JOB: 40, Outcome.ENDED_WITHOUT_JOB: 60}),
}
_WORKING_TIME = _lines("""
    Arbejdstid: mandag–fredag kl. 8–14.
    Arbejdstid: mandag, onsdag og fredag kl. 7–15.
    Arbejdstid: tirsdag–torsdag kl. 9–15.
    Arbejdstid: efter vagtplan, dog ikke i weekenden.
""")
_GOALS: dict[Purpose | PlacementKind, tuple[str, ...]] = {
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
_ROLES = _Choice({SupportRole.BUDDY: 50, SupportRole.MENTOR: 35, SupportRole.CULTURE_GUIDE: 15})
_SUPPORT_WEEKS = {SupportRole.BUDDY: (4, 8, 13), SupportRole.MENTOR: (13, 26),
                  SupportRole.CULTURE_GUIDE: (4, 6, 8)}
_SUPPORT_HOURS = {SupportRole.BUDDY: _w("1 1.5 2 2.5 3"), SupportRole.MENTOR: _w("2 3 4 5"),
                  SupportRole.CULTURE_GUIDE: _w("1 1.5 2")}
_RATES = _w("200 200 200 225 250")
_SUPPORT_NOTES = {
    SupportRole.BUDDY: "Frikøb af buddy aftalt med {contact}. Fast tid sammen mandag morgen.",
    SupportRole.MENTOR: "Mentorstøtte efter LAB kap. 18. Opfølgning med jobcentret hver 4. uge.",
    SupportRole.CULTURE_GUIDE: "Kulturguide: pauser, omgangstone og uskrevne regler.",
}
_MEETINGS = _lines("""
    To gange om ugen, 20 minutter
    Dagligt ved morgenmødet, 10 minutter
    Hver fredag, 30 minutter
    Tre gange om ugen i frokostpausen
    Ugentligt sammen med sproglæreren
""")
_FOCUS = _lines("""
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
_MODES = _Choice({VisitMode.ON_SITE: 65, VisitMode.PHONE: 25, VisitMode.VIDEO: 10})
_NOTES = _lines("""
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
_ACTIONS = _lines("""
    Konsulenten sender den nye vagtplan på mail.
    Buddy gennemgår sikkerhedsreglerne igen.
    Opfølgning med tolk om to uger.
    Jobcentret undersøger transportgodtgørelse.
    Lederen vurderer muligheden for flere timer.
    Borgeren melder fravær til lederen inden kl. 7.
    Konsulenten sender ansøgning om løntilskud.
    Ingen nye aftaler; forløbet fortsætter som planlagt.
""")
_PLANNED_NOTES = (None, "Opfølgningsbesøg på arbejdspladsen.", "Telefonisk opfølgning.",
                  "Trepartssamtale med borger og leder.")
_FORCED_DUE_DAYS = (0, 3)  # the first active placements: a visit due today, one overdue
# Why the consultant went on past a rule's finding (services.rules.go_on_past).
_OVERRIDE_REASONS = {
    "internship_too_long": "Forlænget efter aftale med borger og virksomhed: nyt indhold med "
    "fokus på fagord er beskrevet i aftalen.",
    "wage_subsidy_too_long": "Forlængelse godkendt af teamleder; ordinær ansættelse er aftalt "
    "fra næste kvartal.",
    "hours_above_full_time": "Virksomhedens normale arbejdstid er 40 timer efter overenskomsten; "
    "borgeren følger holdet.",
    "ratio_exceeded": "Virksomheden og tillidsrepræsentanten har bekræftet rimelighedskravet "
    "skriftligt.",
}
_OVERRIDE_REASON = "Drøftet med teamleder; vi går videre, og begrundelsen er noteret i sagen."


def _forced(index: int, values: Sequence[T]) -> T | None:
    """The index-th value while there are values left: so every value appears at least once."""
    return values[index] if index < len(values) else None


_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})


def _slug(text: str, separator: str = "-") -> str:
    text = text.lower().translate(_ASCII)
    return re.sub(r"[^a-z0-9]+", separator, text).strip(separator)


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _century_digits(year: int) -> str:
    """The 7th CPR digits that give this birth year (the CPR office's century table)."""
    if not 1900 <= year <= 2057:
        raise ValueError(year)
    if year < 2000:
        return "0123" + ("49" if year % 100 >= 37 else "")
    return ("49" if year <= 2036 else "") + "5678"


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each kind `populate` made."""

    companies: int
    contacts: int
    citizens: int
    placements: int
    support_arrangements: int
    language_partners: int
    aftercare_visits: int
    rule_overrides: int


@dataclass(frozen=True)
class _Workplace:
    company: Company
    contacts: tuple[Contact, ...]
    profile: _Profile


@dataclass(frozen=True)
class _Person:
    citizen: Citizen
    first_name: str
    danish: bool


class _Generator:
    """Makes the records from one random stream; `ws` only supplies ids and saves."""

    def __init__(self, ws: Workspace, rng: random.Random, today: date) -> None:
        self.ws = ws
        self.rng = rng
        self.today = today
        self.used: set[str] = set()  # CVR, P-numbers and CPR numbers handed out
        self.names: set[str] = set()  # company names
        self.seen: Counter[PlacementKind] = Counter()
        self.purposes = 0
        self.arrangements = 0
        self.active = 0
        self.corrected = False

    def _unique(self, make: Callable[[], str | None]) -> str:
        while True:
            value = make()
            if value is not None and value not in self.used:
                self.used.add(value)
                return value

    def _phone(self, prefixes: Sequence[str] = _MOBILE) -> str:
        digits = f"{self.rng.choice(prefixes)}{self.rng.randrange(1_000_000):06d}"
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))

    def _dane(self, female: bool | None = None) -> str:
        men, women, surnames = _NAMES["dansk"]
        female = self.rng.random() < 0.5 if female is None else female
        return f"{self.rng.choice(women if female else men)} {self.rng.choice(surnames)}"

    # -- companies ------------------------------------------------------------------------
    def _cvr(self) -> str | None:
        digits = [self.rng.randint(1, 9), *(self.rng.randrange(10) for _ in range(6))]
        check = -sum(w * d for w, d in zip((2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        return None if check == 10 else "".join(map(str, digits)) + str(check)

    def workplace(self) -> _Workplace:
        rng = self.rng
        profile = rng.choice(_PROFILES)
        postal_code, city, prefix, streets = rng.choice(_CITIES)
        town = city.split(" ")[0]
        street = rng.choice(_INDUSTRIAL if profile.industrial else streets)
        name = self._company_name(profile, town, street)
        employees = Decimal(rng.randint(*profile.employees)) + rng.choice((0, 0, Decimal("0.5")))
        company = self.ws.new(
            Company, name=name, cvr=self._unique(self._cvr),
            p_number=self._unique(lambda: str(rng.randint(1_000_000_000, 1_029_999_999))),
            street=f"{street} {rng.randint(1, 120)}{rng.choice(('', '', '', 'A', 'B'))}",
            postal_code=postal_code, city=city, industry=profile.industry,
            employee_count=employees, notes=self._company_note(prefix), sector=profile.sector,
        )
        domain = (profile.domain or "{name}.dk").format(city=_slug(town), name=_slug(name))
        return _Workplace(company, self._contacts(company, profile, domain), profile)

    def _company_name(self, profile: _Profile, town: str, street: str) -> str:
        """A name not used before, where a few draws find one (a big run repeats some)."""
        for _ in range(8):
            name = self.rng.choice(profile.names).format(
                surname=self.rng.choice(_NAMES["dansk"][2]), city=town, street=street,
                place=self.rng.choice(_PLACES),
            )
            if name not in self.names:
                break
        self.names.add(name)
        return name

    def _company_note(self, prefix: str) -> str | None:
        if self.rng.random() < 0.5:
            return None
        return f"Hovednummer {self._phone((prefix,))}. Parkering bag bygningen."

    def _contacts(self, company: Company, profile: _Profile, domain: str) -> tuple[Contact, ...]:
        large = (company.employee_count or 0) >= 10
        count = self.rng.randint(2, 3) if large else self.rng.randint(1, 2)
        roles = self.rng.sample(profile.roles, k=min(count, len(profile.roles)))
        if large:  # an employee representative signs with the employer (DOMAIN.md)
            roles[-1] = self.rng.choice(_REPRESENTATIVE)
        return tuple(self._contact(company, role, domain) for role in roles)

    def _contact(self, company: Company, role: str, domain: str) -> Contact:
        name = self._dane()
        return self.ws.new(
            Contact, company_id=company.id, name=name, role=role, phone=self._phone(),
            email=f"{_slug(name, '.')}@{domain}",
            is_employee_representative=role in _REPRESENTATIVE,
        )

    # -- citizens -------------------------------------------------------------------------
    def person(self, index: int) -> _Person:
        rng = self.rng
        group = _forced(index, tuple(TargetGroup)) or _GROUPS(rng)
        danish = rng.random() < _DANISH_SHARE.get(group, 0.65)
        men, women, surnames = _NAMES["dansk" if danish else _FOREIGN(rng)]
        female = rng.random() < 0.5
        first, surname = rng.choice(women if female else men), rng.choice(surnames)
        born = self._birth_date(rng.randint(*_AGES.get(group, (18, 60))))
        options = _READINESS[group]
        level = None if danish else self._danish_level(group)
        citizen = self.ws.new(
            Citizen, name=f"{first} {surname}", cpr=self._unique(lambda: self._cpr(born, female)),
            phone=self._phone(), email=self._email(first, surname, danish),
            target_group=group, readiness=options[0] if index < 9 else rng.choice(options),
            danish_level=level, needs_interpreter=self._interpreter(level),
            notes=rng.choice(_CITIZEN_NOTES) if rng.random() < 0.4 else None,
        )
        return _Person(citizen, first, danish)

    def _birth_date(self, age: int) -> date:
        year = self.today.year - age
        try:
            birthday = self.today.replace(year=year)
        except ValueError:  # 29 February in a year that has none
            birthday = date(year, 2, 28)
        return birthday - _days(self.rng.randrange(365))

    def _cpr(self, born: date, female: bool) -> str | None:
        """A CPR number for the birth date whose serial passes the old modulus-11 check and
        is even for women, odd for men; None when this draw does not manage that."""
        century = int(self.rng.choice(_century_digits(born.year)))
        head = [*map(int, born.strftime("%d%m%y")), century]
        head += [self.rng.randrange(10), self.rng.randrange(10)]
        check = -sum(w * d for w, d in zip((4, 3, 2, 7, 6, 5, 4, 3, 2), head, strict=True)) % 11
        if check == 10 or check % 2 != (0 if female else 1):
            return None
        return "".join(map(str, head)) + str(check)

    def _email(self, first: str, surname: str, danish: bool) -> str | None:
        if self.rng.random() > (0.7 if danish else 0.5):
            return None
        local = f"{_slug(first, '.')}.{_slug(surname, '.')}{self.rng.randint(1, 99)}"
        return f"{local}@{self.rng.choice(_MAIL)}"

    def _danish_level(self, group: TargetGroup) -> str:
        if group is not G.INTEGRATION_PROGRAMME and self.rng.random() < 0.5:
            return self.rng.choice(_PASSED)
        return f"DU{self.rng.randint(1, 3)}, modul {self.rng.randint(1, 6)}"

    def _interpreter(self, level: str | None) -> bool:
        if level is None:
            return False
        beginner = level.startswith("DU1") or level.endswith(("modul 1", "modul 2"))
        return self.rng.random() < (0.6 if beginner else 0.05)

    # -- placements -----------------------------------------------------------------------
    def placement(
        self, kind: PlacementKind, place: _Workplace, person: _Person, after: date | None
    ) -> Placement:
        """A placement; a citizen's later placement starts after `after`, the end of the last."""
        rng = self.rng
        weeks = self._weeks(kind, person.citizen.target_group, place.profile.sector)
        start, end, cancelled = self._period(weeks, after)
        status = self._status(start, end, cancelled)
        purpose = self._purpose() if kind in (K.INTERNSHIP, K.HYBRID) else None
        hours = Decimal(rng.choice(_HOURS[kind]))
        if kind in (K.INTERNSHIP, K.WAGE_SUBSIDY) and rng.random() < 0.02:
            hours = Decimal(40)  # above full time: the rules warn
        goals = _GOALS[purpose or kind]  # every kind without a purpose has goals of its own
        return self.ws.new(
            Placement, citizen_id=person.citizen.id, company_id=place.company.id, kind=kind,
            purpose=purpose, start_date=start, end_date=end, weekly_hours=hours,
            work_tasks=self._tasks(kind, place.profile), contact_id=place.contacts[0].id,
            goals=tuple(rng.sample(goals, k=rng.randint(1, min(3, len(goals))))),
            status=status, outcome=self._outcome(kind, status),
        )

    def kind(self, group: TargetGroup) -> PlacementKind:
        return _KINDS.get(group, _KINDS[None])(self.rng)

    def _purpose(self) -> Purpose:
        forced = _forced(self.purposes, tuple(Purpose))
        self.purposes += 1
        return forced or self.rng.choice(tuple(Purpose))

    def _weeks(self, kind: PlacementKind, group: TargetGroup, sector: Sector) -> int:
        if kind in _TOO_LONG:
            self.seen[kind] += 1
            if self.seen[kind] % 20 == 6:
                return self.rng.choice(_TOO_LONG[kind])
        if kind is K.INTERNSHIP:  # within LAB § 61 for the target group
            return self.rng.choice(_INTERNSHIP_WEEKS.get(group, _USUAL_INTERNSHIP_WEEKS))
        if kind is K.WAGE_SUBSIDY:
            return self.rng.choice(_SUBSIDY_WEEKS[sector])
        return self.rng.choice(_WEEKS[kind])

    def _period(self, weeks: int, after: date | None) -> tuple[date, date, bool]:
        """Monday of the first week to Friday of the last, ended, running or ahead of `today`
        (or, with `after`, a few weeks after that day); and whether it was cancelled."""
        length = weeks * 7 - 3
        phase = _PHASES(self.rng)
        if after is not None:
            start = after + _days(self.rng.randint(3, 31))
        else:
            start = self.today + _days({
                "ended": -length - self.rng.randint(1, 540),
                "active": -self.rng.randint(0, length),
                "planned": self.rng.randint(3, 60),
                "cancelled": -self.rng.randint(0, 60),
            }[phase])
        start -= _days(start.weekday())  # end dates are Fridays, so this stays after `after`
        return start, start + _days(length), phase == "cancelled"

    def _status(self, start: date, end: date, cancelled: bool) -> PlacementStatus:
        if cancelled:
            return PlacementStatus.CANCELLED
        if end < self.today:
            return PlacementStatus.ENDED
        return PlacementStatus.PLANNED if start > self.today else PlacementStatus.ACTIVE

    def _outcome(self, kind: PlacementKind, status: PlacementStatus) -> Outcome | None:
        if status is PlacementStatus.CANCELLED:
            return Outcome.CANCELLED
        return _OUTCOMES[kind](self.rng) if status is PlacementStatus.ENDED else None

    def _tasks(self, kind: PlacementKind, profile: _Profile) -> str:
        if kind is K.HYBRID:  # the tasks of each part must be kept apart (DOMAIN.md)
            unpaid, paid = self.rng.sample(profile.tasks, k=2)
            return f"Praktikdel: {unpaid}\nLøntimer: {paid}"
        return f"{self.rng.choice(profile.tasks)}\n{self.rng.choice(_WORKING_TIME)}"

    # -- support --------------------------------------------------------------------------
    def support(self, placement: Placement, contact: Contact) -> list[SupportArrangement]:
        if self.rng.random() >= 0.5:
            return []
        count = 2 if self.rng.random() < 0.15 else 1
        return [self._arrangement(placement, contact) for _ in range(count)]

    def _arrangement(self, placement: Placement, contact: Contact) -> SupportArrangement:
        rng = self.rng
        role = _forced(self.arrangements, tuple(SupportRole)) or _ROLES(rng)
        self.arrangements += 1
        start = placement.start_date
        end = min(placement.end_date, start + _days(rng.choice(_SUPPORT_WEEKS[role]) * 7 - 3))
        volunteer = role is not SupportRole.MENTOR and rng.random() < 0.2
        return self.ws.new(
            SupportArrangement, placement_id=placement.id, role=role, person_name=self._dane(),
            start_date=start, end_date=end,
            hours_per_week=Decimal(rng.choice(_SUPPORT_HOURS[role])),
            hourly_rate=None if volunteer else Decimal(rng.choice(_RATES)),
            notes=_SUPPORT_NOTES[role].format(contact=contact.name),
        )

    def language_partners(self, placement: Placement, person: _Person) -> list[LanguagePartner]:
        rng = self.rng
        if person.danish or rng.random() >= 0.48:
            return []
        start = min(placement.end_date, placement.start_date + _days(rng.randint(0, 10)))
        trained = None if rng.random() < 0.1 else placement.start_date - _days(rng.randint(5, 45))
        return [self.ws.new(
            LanguagePartner, placement_id=placement.id, partner_name=self._dane(),
            start_date=start, end_date=placement.end_date, trained_on=trained,
            meeting_frequency=rng.choice(_MEETINGS),
            focus_areas=tuple(rng.sample(_FOCUS, k=rng.randint(1, 3))),
            notes="Sprogmakkerkursus hos sprogcentret; sproglæreren besøger arbejdspladsen "
            "hver 4. uge.",
        )]

    # -- visits ---------------------------------------------------------------------------
    def visits(
        self, placement: Placement, contact: Contact, person: _Person
    ) -> list[AftercareVisit]:
        """Completed visits in date order, then at most one planned visit not yet made."""
        if placement.status is PlacementStatus.PLANNED:
            start_meeting = self.rng.random() < 0.5
            return [self._planned(placement, placement.start_date)] if start_meeting else []
        upcoming = self._upcoming(placement)
        days = self._visit_days(placement, upcoming)
        made = []
        for i, day in enumerate(days):
            last = i + 1 == len(days)
            after = (upcoming or self._follow_up(placement, day)) if last else days[i + 1]
            made.append(self._made(placement, day, after, contact, person))
        return made + ([self._planned(placement, upcoming)] if upcoming else [])

    def _follow_up(self, placement: Placement, day: date) -> date | None:
        if placement.status in (PlacementStatus.ENDED, PlacementStatus.CANCELLED):
            return None
        return day + _days(self.rng.randint(14, 35))

    def _upcoming(self, placement: Placement) -> date | None:
        """The next planned visit: for running placements, and aftercare after a job."""
        rng, today = self.rng, self.today
        if placement.status is PlacementStatus.ACTIVE:
            self.active += 1
            forced = _forced(self.active - 1, _FORCED_DUE_DAYS)
            draw = 0.0 if forced is not None else rng.random()
            if draw < 0.2:  # due today or overdue
                due = today - _days(rng.randint(0, 10) if forced is None else forced)
                return max(due, placement.start_date)
            return today + _days(rng.randint(1, 30)) if draw < 0.6 else None
        if placement.outcome is Outcome.JOB and rng.random() < 0.3:
            return today + _days(rng.randint(1, 30))
        return None

    def _visit_days(self, placement: Placement, upcoming: date | None) -> list[date]:
        cancelled = placement.status is PlacementStatus.CANCELLED
        count = self.rng.randint(0, 1) if cancelled else self.rng.choice((2, 3, 3, 4, 4, 5))
        aftercare = 90 if placement.outcome is Outcome.JOB else 0
        last = min(self.today, placement.end_date + _days(aftercare))
        if upcoming is not None and upcoming <= last:
            last = upcoming - _days(1)
        first = placement.start_date + _days(3)
        span = (last - first).days + 1
        if span <= 0:
            return []
        return [first + _days(d) for d in sorted(self.rng.sample(range(span), min(count, span)))]

    def _made(
        self, placement: Placement, day: date, after: date | None, contact: Contact, person: _Person
    ) -> AftercareVisit:
        rng = self.rng
        interpreter = ", tolk" if person.citizen.needs_interpreter else ""
        names = {"first": person.first_name, "contact": contact.name.split()[0]}
        return self.ws.new(
            AftercareVisit, placement_id=placement.id,
            planned_on=day if rng.random() < 0.8 else None, visited_on=day, mode=_MODES(rng),
            next_visit_on=after,
            participants=f"{person.citizen.name}, {contact.name} ({contact.role}), "
            f"virksomhedskonsulent{interpreter}",
            notes=rng.choice(_NOTES).format(**names), agreed_actions=rng.choice(_ACTIONS),
        )

    def _planned(self, placement: Placement, day: date) -> AftercareVisit:
        return self.ws.new(
            AftercareVisit, placement_id=placement.id, planned_on=day,
            mode=_MODES(self.rng), notes=self.rng.choice(_PLANNED_NOTES),
        )

    def correction(self, visits: Sequence[AftercareVisit]) -> AftercareVisit | None:
        """Now and then a completed note is corrected (the first time always, so there is one)."""
        made = [v for v in visits if v.visited_on is not None]
        if not made or (self.corrected and self.rng.random() >= 0.04):
            return None
        self.corrected = True
        old = self.rng.choice(made)
        if self.rng.random() < 0.5:
            return dataclasses.replace(
                old, mode=VisitMode.PHONE,
                notes=f"Rettelse: samtalen foregik telefonisk. {old.notes}",
            )
        return dataclasses.replace(
            old, agreed_actions=f"Rettelse: {self.rng.choice(_ACTIONS)}",
            notes=f"Rettelse: de aftalte handlinger var forkert noteret. {old.notes}",
        )


class _Run:
    """One `populate`: the records made so far and the choices of who is placed where."""

    def __init__(self, ws: Workspace, gen: _Generator) -> None:
        self.ws = ws
        self.gen = gen
        self.places: list[_Workplace] = []
        self.people: list[_Person] = []
        self.unplaced: list[int] = []
        self.newcomers: list[int] = []  # integration programme: who may start an IGU
        self.weights: list[int] = []
        self.last_end: dict[int, date] = {}  # person index: end of their latest placement
        self.counts: Counter[str] = Counter()

    def save(self, *records: Company | Contact | Citizen) -> None:
        for record in records:
            self.ws.save(record)
            self.counts[type(record).__name__] += 1

    def make_workplaces(self, count: int, batch: int) -> None:
        for first in range(0, count, batch):
            with self.ws.store.write():
                for _ in range(first, min(first + batch, count)):
                    place = self.gen.workplace()
                    self.save(place.company, *place.contacts)
                    self.places.append(place)
        # Bigger workplaces take more people in; cumulative weights make each pick a bisect.
        sizes = (int(p.company.employee_count or 1) for p in self.places)
        self.weights = list(accumulate(int(s**0.5) + 1 for s in sizes))

    def make_people(self, count: int, batch: int) -> None:
        for first in range(0, count, batch):
            with self.ws.store.write():
                for index in range(first, min(first + batch, count)):
                    person = self.gen.person(index)
                    self.save(person.citizen)
                    self.people.append(person)
        self.unplaced = list(range(count))
        self.gen.rng.shuffle(self.unplaced)
        self.newcomers = [i for i, p in enumerate(self.people)
                          if p.citizen.target_group is G.INTEGRATION_PROGRAMME]

    def _choose(self, index: int) -> tuple[PlacementKind, int]:
        """Who is placed in what: the first placements take every kind once, and everyone gets
        a placement before anyone gets a second one."""
        rng = self.gen.rng
        forced = _forced(index, tuple(PlacementKind))
        if forced is K.IGU and self.newcomers:
            return forced, rng.choice(self.newcomers)
        pick = self.unplaced.pop() if self.unplaced else self._again()
        group = self.people[pick].citizen.target_group
        return forced or self.gen.kind(group), pick

    def _again(self) -> int:
        """Someone for a further placement, preferably one whose last has ended."""
        rng, today = self.gen.rng, self.gen.today
        for _ in range(10):
            pick = rng.randrange(len(self.people))
            if self.last_end.get(pick, today) < today:
                break
        return pick

    def register(self, index: int) -> None:
        gen = self.gen
        kind, pick = self._choose(index)
        person = self.people[pick]
        place = gen.rng.choices(self.places, cum_weights=self.weights)[0]
        placement = gen.placement(kind, place, person, self.last_end.get(pick))
        self.last_end[pick] = placement.end_date
        contact = place.contacts[0]
        support = gen.support(placement, contact)
        partners = gen.language_partners(placement, person)
        self.ws.register_placement(PlacementRegistration(
            place.company, person.citizen, placement, contact, support, partners,
        ))
        self.counts.update(Placement=1, SupportArrangement=len(support),
                          LanguagePartner=len(partners))
        self.visit(placement, contact, person)

    def visit(self, placement: Placement, contact: Contact, person: _Person) -> None:
        visits = self.gen.visits(placement, contact, person)
        for visit in visits:
            self.ws.record_visit(visit)
        corrected = self.gen.correction(visits)
        if corrected is not None:
            self.ws.correct_visit(corrected.id, corrected)
        self.counts["AftercareVisit"] += len(visits) + (corrected is not None)

    def go_on_past_findings(self) -> None:
        """The consultant's reason to go on is recorded for about a third of the rules' warnings
        (for the first always, so there is one)."""
        warnings = [
            c.finding for c in rules.all_findings(self.ws) if c.finding.severity is Severity.WARNING
        ]
        rng, today = self.gen.rng, self.gen.today
        chosen = [f for i, f in enumerate(warnings) if i == 0 or rng.random() < 0.35]
        with self.ws.store.write():
            for f in chosen:
                reason = _OVERRIDE_REASONS.get(f.code, _OVERRIDE_REASON)
                rules.go_on_past(self.ws, f.placement_id, f.code, reason, today)
        self.counts["RuleOverride"] += len(chosen)

    def summary(self) -> DemoSummary:
        c = self.counts
        return DemoSummary(
            companies=c["Company"], contacts=c["Contact"], citizens=c["Citizen"],
            placements=c["Placement"], support_arrangements=c["SupportArrangement"],
            language_partners=c["LanguagePartner"], aftercare_visits=c["AftercareVisit"],
            rule_overrides=c["RuleOverride"],
        )


def populate(
    ws: Workspace,
    *,
    records: int = 200,
    seed: int = 1,
    today: date,
    batch: int = 200,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Fill the workspace with `records` placements and about records/4 companies (1–3 contacts
    each), 0.8 × records citizens, buddies, sprogmakkere and about three visit notes a placement;
    a few placements break a legal limit, and for some of those the consultant's reason to go on
    is recorded (`services.rules.go_on_past`).

    The content (names, CVR and CPR numbers, dates relative to `today`, texts) is the same for the
    same `seed` and `today`; the ids are fresh UUIDv7 from `ws.new` and differ from run to run.
    Each `batch` of placements is one transaction; `progress` gets the placements done so far.
    """
    if records < 1 or batch < 1:
        raise ValueError("records and batch must be at least 1")
    run = _Run(ws, _Generator(ws, random.Random(seed), today))
    run.make_workplaces(max(1, records // 4), batch)
    run.make_people(max(1, round(records * 0.8)), batch)
    for first in range(0, records, batch):
        done = min(first + batch, records)
        with ws.store.write():
            for index in range(first, done):
                run.register(index)
        if progress is not None:
            progress(done)
    run.go_on_past_findings()
    return run.summary()
