"""The demo data set, built only from `shared/reference/` (the May 2025 news report and facts.md).

Every event keeps its date precision, its source and, where there is one, its quote. Sources
marked [U] in facts.md (mirrors, secondary copies) carry the reliability grade U.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from countries.demo import load_reference_data
from countries.models import Country
from talks.models import (
    Candidacy,
    Classification,
    DatePrecision,
    EventKind,
    Reliability,
    Scheme,
    SchemeModel,
    Source,
    TalkEvent,
)
from talks.services import EventDetails, record_event
from talks.statuses import Status

D, M, Q, Y = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.QUARTER, DatePrecision.YEAR
K = EventKind
S = Status


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


SCHEMES = [
    {
        "slug": "uk-return-hubs-2025",
        "name": "UK return hubs (2025)",
        "sender": "GBR",
        "model": SchemeModel.RETURN_HUB,
        "announced_on": day("2025-05-15"),
        "ended_on": None,
        "shortlist_size": 9,
        "summary": (
            "Return hubs in third countries for people whose asylum claims have been refused and "
            "who have exhausted their appeals. The Times reported a list of nine potential host "
            "countries; four were named (Kosovo, Serbia, North Macedonia, Bosnia and "
            "Herzegovina) and some outside Europe were not."
        ),
        "countries": ["XKX", "SRB", "MKD", "BIH", "ALB", "MNE"],
    },
    {
        "slug": "uk-rwanda-partnership",
        "name": "UK–Rwanda partnership (2022–2024)",
        "sender": "GBR",
        "model": SchemeModel.OFFSHORE_PROCESSING,
        "announced_on": None,
        "ended_on": day("2024-07-22"),
        "shortlist_size": None,
        "summary": (
            "The Migration and Economic Development Partnership: asylum claims to be processed "
            "in Rwanda before a decision. Ended by the new government in July 2024; no asylum "
            "seeker was deported under it."
        ),
        "countries": ["RWA"],
    },
    {
        "slug": "italy-albania-protocol",
        "name": "Italy–Albania protocol (2023)",
        "sender": "ITA",
        "model": SchemeModel.EXTRATERRITORIAL_CENTRE,
        "announced_on": day("2023-11-06"),
        "ended_on": None,
        "shortlist_size": None,
        "summary": (
            "Centres in Albania (Shëngjin and Gjadër) run under Italian law. Five years with "
            "automatic renewal, about 36,000 people a year, costs borne by Italy. Repeatedly "
            "challenged in Italian courts and before the Court of Justice of the EU."
        ),
        "countries": ["ALB"],
    },
    {
        "slug": "netherlands-uganda-return-hub",
        "name": "Netherlands–Uganda return hub (2025)",
        "sender": "NLD",
        "model": SchemeModel.TRANSIT_HUB,
        "announced_on": day("2025-09-25"),
        "ended_on": None,
        "shortlist_size": None,
        "summary": (
            "A small-scale pilot transit hub in Uganda for rejected asylum seekers from "
            "countries near Uganda who cannot be returned directly or voluntarily within a "
            "reasonable time."
        ),
        "countries": ["UGA"],
    },
    {
        "slug": "denmark-kosovo-prison-places",
        "name": "Denmark–Kosovo prison places (2021)",
        "sender": "DNK",
        "model": SchemeModel.EXTRATERRITORIAL_CENTRE,
        "announced_on": day("2021-12-01"),
        "ended_on": None,
        "shortlist_size": None,
        "summary": (
            "300 prison places in Kosovo (Gjilan prison) for third-country nationals awaiting "
            "deportation from Denmark. As of May 2025 the transfers had not yet happened."
        ),
        "countries": ["XKX"],
    },
    {
        "slug": "eu-return-hubs-working-group",
        "name": "EU member states' return-hubs working group (2026)",
        "sender": "DEU",
        "model": SchemeModel.RETURN_HUB,
        "announced_on": day("2026-01-22"),
        "ended_on": None,
        "shortlist_size": None,
        "summary": (
            "Germany, Austria, Denmark, the Netherlands and Greece drawing up a roadmap for "
            "return hubs under the EU's proposed Return Regulation (Art. 17). No host country "
            "has been named."
        ),
        "countries": [],
    },
]


@dataclass(frozen=True)
class Src:
    outlet: str
    url: str
    published: str | None
    grade: str = Reliability.B
    note: str = ""
    title: str = ""

    def get_or_create(self) -> Source:
        source, _ = Source.objects.update_or_create(
            outlet=self.outlet,
            url=self.url,
            defaults={
                "title": self.title,
                "published_on": day(self.published) if self.published else None,
                "reliability": self.grade,
                "reliability_note": self.note,
            },
        )
        return source


U = Reliability.U
LBC_MAY15 = Src(
    "LBC",
    "https://www.lbc.co.uk/news/uk/uk-deport-failed-asylum-seekers-return-hubs-third-countries",
    "2025-05-15",
    title="UK to deport failed asylum seekers to 'return hubs' in third countries",
)
BLACKNEWS = Src(
    "blacknews.news (mirror of BBC text)",
    "https://blacknews.news/uk-in-talks-on-return-hubs-for-failed-asylum-seekers",
    "2025-05-15",
    U,
    "Mirror of a BBC article by Ben Hatton.",
)
SKY_MIRROR = Src(
    "Sky News (mirrored at exbulletin)",
    "",
    "2025-05-17",
    U,
    "Original Sky URL not found; exact publication date unverified.",
    "Interviews with President Osmani and Prime Minister Mickoski",
)
INDEPENDENT = Src(
    "The Independent",
    "https://www.independent.co.uk/news/uk/home-news/migrant-return-hubs-asylum-seeker-kosovo-b2757818.html",
    "2025-05-26",
    title="Kosovo shortlisted for UK migrant return hub",
)
SHQIPET = Src("shqipet.ch (citing albinfo.ch)", "", "2025-07-14", Reliability.F)
BRITISH_EYE = Src(
    "The British Eye",
    "https://www.thebritisheye.com/2025/10/kosovo-offers-uk-illegal-migration",
    "2025-10-22",
    Reliability.C,
)
UNMIK = Src(
    "UNMIK Media Observer",
    "https://media.unmikonline.org/newsletters/unmik-media-observer-morning-edition-october-22-2025",
    "2025-10-22",
    title="Kosovo PM: We feel 'obligation' to host UK migrant return hub (Sky headline)",
)
BALKANVIEW = Src(
    "balkanview.com",
    "https://balkanview.com/?p=10967",
    "2025-12-15",
    U,
    "Reports The Times; the Times original was not found. Publication day unverified.",
)
UPDAY = Src(
    "upday (PA)",
    "https://www.upday.com/uk/politics/albania-rejects-uk-return-hubs-as-starmer-hosts-balkans-summit/v2s0pqz",
    "2025-10-21",
    title="Albania rejects UK return hubs as Starmer hosts Balkans summit",
)
INTERIA = Src(
    "interia.pl (citing The Times)", "", "2025-10-15", U, "Secondary report; exact date unverified."
)
PARTICLE = Src(
    "particle.news",
    "https://particle.news/story/kosovo-confirms-talks-on-uk-return-hub-as-balkan-leaders-split",
    "2025-10-22",
    U,
    "News aggregator.",
)
INFOMIGRANTS_NM = Src(
    "InfoMigrants",
    "http://freeb.infomigrants.net/en/post/68660/north-macedonia-leader-says-there-will-be-no-migrant-camps-in-our-country",
    "2025-12-09",
    title="North Macedonia leader says there will be no migrant camps in our country",
)
EUROPEAN_INTEREST = Src("europeaninterest.eu", "", "2025-10-22", Reliability.C)
LBC_JUL24 = Src(
    "LBC",
    "https://www.lbc.co.uk/news/tories-rwanda-deportation-policy-dead-and-buried-pm-sir-keir-starmer-confirms/",
    "2024-07-06",
)
ITV = Src(
    "ITV News",
    "https://itv.com/news/2024-07-22/scrapped-rwanda-scheme-has-cost-taxpayer-700m-home-secretary-says",
    "2024-07-22",
)
ADNKRONOS = Src("Adnkronos (via ruetir.com)", "", "2023-12-13", Reliability.C)
PRIMAPRESS = Src("primapress.it", "", "2024-01-30", Reliability.C)
GLOBALPOLITICS = Src("globalpolitics.info (Euractiv-based)", "", "2024-10-18", Reliability.C)
UNIPD = Src("Human Rights Centre, University of Padua", "", "2024-10-23", Reliability.B)
AGENPRESS = Src("agenpress.it", "", "2025-01-31", Reliability.C)
EU_LAW_BLOG = Src("EU Law Analysis", "", "2025-09-01", Reliability.B)
INFOMIGRANTS_IT = Src(
    "InfoMigrants", "", "2025-06-01", U, "Post 64140; the judgment's date is not shown."
)
CJEU = Src(
    "Court of Justice of the EU, press release No 103/25",
    "https://agenparl.eu/2025/08/01/press-release-103-25-judgment-of-the-court-in-joined-cases-c-758-24-alace-and-c-759-24-canpelli",
    "2025-08-01",
    Reliability.A,
)
IBA = Src("International Bar Association", "", "2025-09-30", Reliability.B)
STAR_REUTERS = Src("The Star (Reuters)", "", "2025-09-24")
REUTERS_MIRROR = Src(
    "Reuters (mirror)",
    "https://d2443.cms.socastsrm.com/2025/09/25/netherlands-and-uganda-sign-letter-of-intent-on-return-hub-deal-for-rejected-asylum-seekers",
    "2025-09-25",
    U,
    "Reuters text on a mirror site.",
)
BNE = Src(
    "bne IntelliNews",
    "",
    "2025-10-22",
    U,
    "Calls the Dutch election 'November 2025'; InfoMigrants gives 29 October 2025.",
)
RMX = Src("rmx.news", "", None, Reliability.F, "Background on the 2021 Denmark–Kosovo deal.")
CHRONICLE = Src("chronicle.lu", "", "2025-03-11", Reliability.C)
ONVISTA = Src("onvista (Reuters, German)", "", "2025-07-22")
EU_LAW_DEC = Src(
    "EU Law Analysis",
    "https://eulawanalysis.blogspot.com/2025/12/the-council-of-eus-position-on-return.html",
    "2025-12-20",
    Reliability.B,
)
INFOMIGRANTS_DE = Src(
    "InfoMigrants / DW",
    "http://freeb.infomigrants.net/en/post/69402/germany-joins-plan-to-set-up-thirdcountry-migrant-return-hubs",
    "2026-01-22",
)


@dataclass(frozen=True)
class Ev:
    """One demo event. `country` None means a scheme-wide event."""

    scheme: str
    country: str | None
    on: str
    precision: str
    kind: str
    title: str
    summary: str
    source: Src
    quote: str = ""
    speaker: str = ""
    status: str = ""
    classification: str = Classification.OFFICIAL
    extra: dict = field(default_factory=dict)


UKH = "uk-return-hubs-2025"
EVENTS = [
    Ev(
        UKH,
        None,
        "2025-04-01",
        M,
        K.MEETING,
        "Foreign Secretary Lammy visits Kosovo and Serbia",
        "Early April 2025. Lammy said parts of the Western Balkans have become a major transit "
        "route.",
        INDEPENDENT,
        quote="have become a major transit route for irregular migration and serious organised "
        "crime",
        speaker="David Lammy, Foreign Secretary",
    ),
    Ev(
        UKH,
        None,
        "2025-05-15",
        D,
        K.STATEMENT,
        "Starmer announces talks on return hubs in Tirana",
        "On his first official visit to Albania, the Prime Minister said the UK is in talks with "
        "a number of countries about return hubs for failed asylum seekers who have exhausted "
        "all appeals. He would not name the countries.",
        LBC_MAY15,
        quote="in talks with a number of countries about return hubs… a really important "
        "innovation",
        speaker="Keir Starmer, Prime Minister",
    ),
    Ev(
        UKH,
        "ALB",
        "2025-05-15",
        D,
        K.STATEMENT,
        "Albania rules itself out",
        "At the joint press conference in Tirana, Edi Rama said Albania would not host a hub.",
        LBC_MAY15,
        status=S.REJECTED,
        quote="We have been asked by several countries if we were open to it, and we said no, "
        "because we are loyal to the marriage with Italy",
        speaker="Edi Rama, Prime Minister of Albania",
    ),
    Ev(
        UKH,
        None,
        "2025-05-15",
        D,
        K.STATEMENT,
        "Starmer: return hubs are not a 'silver bullet'",
        "Interview with GB News. More than 12,000 Channel crossings since January.",
        BLACKNEWS,
        quote="silver bullet",
        speaker="Keir Starmer, Prime Minister",
    ),
    Ev(
        UKH,
        "XKX",
        "2025-05-16",
        D,
        K.STATEMENT,
        "Osmani: Kosovo would be open to discussing it",
        "About 16 May 2025, to Sky News. She called the UK a 'steadfast ally'.",
        SKY_MIRROR,
        status=S.OPEN,
        speaker="Vjosa Osmani, President of Kosovo",
        quote="There's been no formal talks with the UK on this issue. It hasn't been raised so "
        "far. We would be open to discussing it, however I can't say more than that because I "
        "don't know the details. I cannot give an answer on a request that hasn't been made so "
        "far.",
    ),
    Ev(
        UKH,
        "MKD",
        "2025-05-16",
        D,
        K.STATEMENT,
        "Mickoski: not informed, no formal talks yet",
        "About 16 May 2025, to Sky News.",
        SKY_MIRROR,
        quote="I'm not informed about this… No, not yet.",
        speaker="Hristijan Mickoski, Prime Minister of North Macedonia",
    ),
    Ev(
        UKH,
        None,
        "2025-05-26",
        D,
        K.MEDIA_REPORT,
        "The Times: a list of nine potential hosts",
        "The UK has a list of nine potential host countries. Four are named: North Macedonia, "
        "Kosovo, Serbia and Bosnia and Herzegovina; some countries outside Europe are also on it "
        "and are not named. The UK wants talks started before the autumn Western Balkans summit "
        "in London.",
        INDEPENDENT,
    ),
    *[
        Ev(
            UKH,
            code,
            "2025-05-26",
            D,
            K.MEDIA_REPORT,
            "Named on the UK's shortlist (The Times)",
            "One of four countries named among nine on the UK's list of potential return-hub "
            "hosts.",
            INDEPENDENT,
            status=S.SHORTLISTED,
        )
        for code in ["SRB", "MKD", "BIH"]
    ],
    Ev(
        UKH,
        "XKX",
        "2025-05-26",
        D,
        K.MEDIA_REPORT,
        "Named on the UK's shortlist (The Times)",
        "Senior government sources called Kosovo a 'plausible' host because it lies on one of "
        "the main routes towards the EU.",
        INDEPENDENT,
    ),
    Ev(
        UKH,
        "XKX",
        "2025-07-14",
        D,
        K.MEETING,
        "Kurti meets UK envoy Karen Pierce in Pristina",
        "Berlin Process preparation for the London summit. No return-hub content reported.",
        SHQIPET,
    ),
    Ev(
        UKH,
        "ALB",
        "2025-10-21",
        D,
        K.STATEMENT,
        "Rama at Chatham House: 'never in Albania'",
        "Albania repeats its refusal.",
        UPDAY,
        quote="When it comes to the hubs, or whatever they are called, I've said it, and I "
        "repeat – never in Albania.",
        speaker="Edi Rama, Prime Minister of Albania",
    ),
    Ev(
        UKH,
        "MNE",
        "2025-10-21",
        D,
        K.STATEMENT,
        "Spajić: yes, for €10bn of railways",
        "Montenegro says it is not on the smuggling route. Asked by Rama whether he would host a "
        "hub if the UK built railways, the Prime Minister gave a conditional yes.",
        UPDAY,
        status=S.OPEN,
        speaker="Milojko Spajić, Prime Minister of Montenegro",
        quote="We definitely accept it, if they would invest 10 billion euros into building "
        "railways.",
    ),
    Ev(
        UKH,
        "XKX",
        "2025-10-21",
        D,
        K.STATEMENT,
        "Kurti: Kosovo wants to help the UK",
        "Talks are under way between Kosovo's interior ministry and UK legal teams; in return "
        "Kosovo seeks security cooperation and support. Kurti is a caretaker Prime Minister "
        "after the February 2025 election.",
        UNMIK,
        status=S.EXPLORATORY,
        speaker="Albin Kurti, Prime Minister of Kosovo",
        quote="We want to help the UK — we consider that that is our friendly and political "
        "duty. We have limited capacity but still we want to help.",
    ),
    Ev(
        UKH,
        "SRB",
        "2025-10-01",
        M,
        K.MEDIA_REPORT,
        "Serbia joins the UK joint migration taskforce",
        "Serbia and Montenegro added to the UK joint migration taskforce. No on-record Serbian "
        "statement on return hubs has been found.",
        PARTICLE,
    ),
    Ev(
        UKH,
        "BIH",
        "2025-10-01",
        M,
        K.STATEMENT,
        "Bosnia and Herzegovina's Presidency says no",
        "The tripartite Presidency rejected participation: it has 'no intention or desire' to "
        "conclude any agreement to accept people denied asylum.",
        INTERIA,
        status=S.REJECTED,
    ),
    Ev(
        UKH,
        None,
        "2025-10-22",
        D,
        K.MILESTONE,
        "Western Balkans summit at Lancaster House",
        "Berlin Process summit in London with the leaders of Albania, Bosnia and Herzegovina, "
        "Kosovo, Montenegro, North Macedonia and Serbia. No return-hub deals were expected or "
        "announced; the UK announced sanctions on Balkan smuggling networks.",
        EUROPEAN_INTEREST,
        quote="The region has been described as the crossroads of Europe, but so often it has "
        "also been Europe's crucible…",
        speaker="Keir Starmer, Prime Minister",
    ),
    Ev(
        UKH,
        "XKX",
        "2025-12-01",
        M,
        K.MEDIA_REPORT,
        "The Times: UK opens talks with Pristina",
        "Reported model: a 'returns centre' where people could claim asylum or get work permits, "
        "not detained, with payments per person.",
        BALKANVIEW,
    ),
    Ev(
        UKH,
        "MKD",
        "2025-12-01",
        M,
        K.MEDIA_REPORT,
        "The Times: UK opens talks with Skopje",
        "Balkan media citing The Times. Handled as OFFICIAL-SENSITIVE in the demo data until the "
        "Times original is found (the marking is demo handling metadata, not a fact).",
        BALKANVIEW,
        classification=Classification.OFFICIAL_SENSITIVE,
    ),
    Ev(
        UKH,
        "MKD",
        "2025-12-01",
        M,
        K.STATEMENT,
        "Government spokesperson denies negotiations",
        "Marija Miteva called the reports 'domestic political use'.",
        BALKANVIEW,
        speaker="Marija Miteva, government spokesperson",
    ),
    Ev(
        UKH,
        "MKD",
        "2025-12-09",
        D,
        K.STATEMENT,
        "Mickoski: 'not even a tent'",
        "Reports had cited £20,000 per deported person. The opposition SDSM launched a petition.",
        INFOMIGRANTS_NM,
        status=S.REJECTED,
        speaker="Hristijan Mickoski, Prime Minister of North Macedonia",
        quote="There will not be even a tent for illegal migrants in North Macedonia while I am "
        "prime minister, and we will not be hosting any migrants.",
    ),
    # UK-Rwanda
    Ev(
        "uk-rwanda-partnership",
        "RWA",
        "2024-07-06",
        D,
        K.STATEMENT,
        "Starmer: the Rwanda scheme is 'dead and buried'",
        "First No 10 press conference. No asylum seekers were deported under the scheme.",
        LBC_JUL24,
        speaker="Keir Starmer, Prime Minister",
        quote="The Rwanda scheme was dead and buried before it started. It's never been a "
        "deterrent.",
    ),
    Ev(
        "uk-rwanda-partnership",
        "RWA",
        "2024-07-22",
        D,
        K.MILESTONE,
        "Scheme ended: £700m 'to send just four volunteers'",
        "Home Secretary Yvette Cooper told the Commons the partnership cost £700m, including "
        "£290m paid to Rwanda; Rwanda was formally notified of the end. James Cleverly called it "
        "'hyperbole and made-up numbers'.",
        ITV,
        status=S.ENDED,
        speaker="Yvette Cooper, Home Secretary",
        quote="to send just four volunteers",
    ),
    # Italy-Albania
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2023-11-06",
        D,
        K.AGREEMENT,
        "Meloni and Rama sign the protocol",
        "Five years with automatic renewal; about 36,000 people a year; Italy bears the costs.",
        ADNKRONOS,
        status=S.AGREED,
    ),
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2023-12-13",
        D,
        K.COURT_RULING,
        "Albanian Constitutional Court suspends ratification",
        "The court accepted two opposition appeals (Democratic Party); hearing set for 18 "
        "January 2024.",
        ADNKRONOS,
        status=S.SUSPENDED,
    ),
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2024-01-01",
        M,
        K.COURT_RULING,
        "Constitutional Court finds the deal constitutional (5–4)",
        "Late January 2024: ratification cleared.",
        PRIMAPRESS,
        status=S.AGREED,
    ),
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2024-10-16",
        D,
        K.MILESTONE,
        "First transfer: 16 people brought to Gjadër",
        "An Italian navy ship brought 16 migrants; four were sent back to Italy (two minors, "
        "two health cases).",
        GLOBALPOLITICS,
        status=S.OPERATIONAL,
    ),
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2024-10-18",
        D,
        K.COURT_RULING,
        "Rome Tribunal refuses to validate detention of 12",
        "Citing the CJEU ruling of 4 October 2024 on safe countries.",
        GLOBALPOLITICS,
        speaker="Luciana Sangiovanni, president of the immigration section",
    ),
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2024-10-23",
        D,
        K.MILESTONE,
        "Decree-Law 158 puts the safe-countries list into law",
        "The list includes Bangladesh, Egypt, Albania, Bosnia, Kosovo, North Macedonia, "
        "Montenegro and Serbia, among others.",
        UNIPD,
    ),
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2025-01-31",
        D,
        K.COURT_RULING,
        "Rome Court of Appeal refers questions to the CJEU",
        "Detention of 43 migrants transferred to Gjadër not validated; they were moved to Italy.",
        AGENPRESS,
    ),
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2025-02-25",
        D,
        K.LEGAL_ACTION,
        "CJEU hearing",
        "Hearing in the joined cases; the Advocate General's opinion followed on 10 April 2025.",
        EU_LAW_BLOG,
    ),
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2025-04-01",
        Q,
        K.MILESTONE,
        "Gjadër repurposed as a repatriation centre",
        "Spring 2025. A Rome appeals judgment held that the protocol cannot apply once a "
        "detainee applies for asylum.",
        INFOMIGRANTS_IT,
    ),
    Ev(
        "italy-albania-protocol",
        "ALB",
        "2025-08-01",
        D,
        K.COURT_RULING,
        "CJEU Grand Chamber: Alace and Canpelli (C-758/24, C-759/24)",
        "A safe-country designation may be made by law only if open to effective judicial "
        "review; a country cannot be designated safe if it does not protect its entire "
        "population. Meloni's office called the ruling 'surprising'.",
        CJEU,
    ),
    Ev(
        "italy-albania-protocol",
        None,
        "2026-06-01",
        M,
        K.MILESTONE,
        "EU Pact on Migration and Asylum applies",
        "Scheduled: changes the safe-country-of-origin rules.",
        IBA,
    ),
    # Netherlands-Uganda
    Ev(
        "netherlands-uganda-return-hub",
        "UGA",
        "2025-09-24",
        D,
        K.FORMAL_TALKS,
        "Reuters: the Netherlands is close to a deal",
        "A spokesperson for Minister David van Weel described the talks.",
        STAR_REUTERS,
        status=S.NEGOTIATING,
        quote="constructive and advanced talks with Uganda",
        speaker="Spokesperson for David van Weel",
    ),
    Ev(
        "netherlands-uganda-return-hub",
        "UGA",
        "2025-09-25",
        D,
        K.AGREEMENT,
        "Letter of intent signed in New York",
        "Signed at the UN General Assembly by David van Weel and Ugandan Foreign Minister "
        "Odongo Jeje Abubakhar. It leads to a small-scale pilot transit hub; no timeline given.",
        REUTERS_MIRROR,
        status=S.AGREED,
    ),
    Ev(
        "netherlands-uganda-return-hub",
        "UGA",
        "2025-10-22",
        D,
        K.STATEMENT,
        "Van Weel expects appeals; hub expected in 2026",
        "To the Financial Times. The hub is expected to open in 2026 pending approval.",
        BNE,
        quote="Of course this will be appealed in the beginning…",
        speaker="David van Weel",
    ),
    # Denmark-Kosovo
    Ev(
        "denmark-kosovo-prison-places",
        "XKX",
        "2021-12-01",
        M,
        K.AGREEMENT,
        "Denmark and Kosovo announce 300 prison places in Gjilan",
        "Announced by Danish Justice Minister Nick Hækkerup.",
        RMX,
        status=S.AGREED,
        speaker="Nick Hækkerup, Danish Justice Minister",
    ),
    # EU member states
    Ev(
        "eu-return-hubs-working-group",
        None,
        "2025-03-11",
        D,
        K.MILESTONE,
        "Commission proposes the Return Regulation",
        "Replaces the 2008 Return Directive; includes return hubs (Art. 17) via agreement with a "
        "third country, detention up to 24 months and a European Return Order.",
        CHRONICLE,
    ),
    Ev(
        "eu-return-hubs-working-group",
        None,
        "2025-07-22",
        D,
        K.MEETING,
        "Copenhagen informal JHA: Germany backs return hubs",
        "Follows the Zugspitze meeting of 18 July.",
        ONVISTA,
        quote="Wir unterstützen die Forderung nach Return Hubs…",
        speaker="Alexander Dobrindt, German Interior Minister",
    ),
    Ev(
        "eu-return-hubs-working-group",
        None,
        "2025-12-08",
        D,
        K.MILESTONE,
        "Council adopts its general approach on the Return Regulation",
        "With a first EU list of safe countries of origin, reported to include Kosovo.",
        EU_LAW_DEC,
    ),
    Ev(
        "eu-return-hubs-working-group",
        None,
        "2026-01-22",
        D,
        K.MEETING,
        "Five states form a return-hubs working group",
        "Germany, Austria, Denmark, the Netherlands and Greece, on the sidelines of the informal "
        "JHA in Cyprus, aiming at third-country agreements later in the year.",
        INFOMIGRANTS_DE,
    ),
    Ev(
        "eu-return-hubs-working-group",
        None,
        "2027-07-01",
        D,
        K.MILESTONE,
        "Commission review of mutual recognition of return decisions due",
        "Under the proposed Return Regulation, mutual recognition becomes mandatory after the "
        "review.",
        CHRONICLE,
    ),
]


def _load_schemes(countries: dict[str, Country]) -> dict[str, Scheme]:
    schemes = {}
    for spec in SCHEMES:
        scheme, _ = Scheme.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "sending_country": countries[spec["sender"]],
                "model": spec["model"],
                "announced_on": spec["announced_on"],
                "ended_on": spec["ended_on"],
                "shortlist_size": spec["shortlist_size"],
                "summary": spec["summary"],
            },
        )
        for code in spec["countries"]:
            Candidacy.objects.get_or_create(scheme=scheme, country=countries[code])
        schemes[spec["slug"]] = scheme
    return schemes


def _load_event(ev: Ev, schemes: dict[str, Scheme], by) -> bool:
    """Record `ev` through the services unless it is already there. True if it was added."""
    scheme = schemes[ev.scheme]
    candidacy = scheme.candidacies.get(country__code=ev.country) if ev.country else None
    occurred_on = day(ev.on)
    if TalkEvent.objects.filter(
        scheme=scheme, candidacy=candidacy, occurred_on=occurred_on, title=ev.title
    ).exists():
        return False
    details = EventDetails(
        occurred_on=occurred_on,
        precision=ev.precision,
        kind=ev.kind,
        title=ev.title,
        summary=ev.summary,
        quote=ev.quote,
        speaker=ev.speaker,
        source=ev.source.get_or_create(),
        new_status=ev.status,
        classification=ev.classification,
    )
    record_event(
        scheme=scheme,
        candidacy=candidacy,
        details=details,
        by=by,
        expected_version=candidacy.version if candidacy else None,
    )
    return True


@transaction.atomic
def load_demo_data(*, recorded_by) -> int:
    """Build the demo set; returns how many events were added (0 on a second run)."""
    countries = load_reference_data()
    schemes = _load_schemes(countries)
    ordered = sorted(EVENTS, key=lambda ev: ev.on)
    return sum(_load_event(ev, schemes, recorded_by) for ev in ordered)
