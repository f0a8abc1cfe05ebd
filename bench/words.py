"""Word lists for the synthetic corpus (issue 7): every sentence is generated.

Nothing here describes a real organisation or person: organisations are
made-up syllable names marked "(synthetic)", authors are generated names.
"""

NOUNS = (
    "client", "borrower", "loan", "lender", "branch", "officer", "portfolio", "policy", "practice", "survey",
    "complaint", "price", "rate", "fee", "contract", "disclosure", "network", "association", "board", "staff",
    "training", "assessment", "principle", "standard", "guideline", "report", "study", "interview", "market",
    "product", "savings", "insurance", "payment", "collection", "debt", "repayment", "household", "community",
    "cooperative", "regulator", "supervisor", "investor", "fund", "audit", "mechanism", "channel", "agent",
    "feedback", "outreach", "pilot", "review", "indicator", "measure", "dashboard", "committee", "manual",
    "workshop", "campaign", "checklist", "budget", "incentive", "target", "process", "season", "crop", "region",
    "village", "hotline", "script", "language", "literacy", "privacy", "record", "consent", "transparency",
)
VERBS = (
    "supports", "reviews", "improves", "measures", "explains", "tracks", "protects", "reduces", "tests",
    "documents", "revises", "shares", "trains", "monitors", "publishes", "compares", "strengthens", "simplifies",
    "clarifies", "prioritises", "adapts", "checks", "records", "follows", "summarises", "prepares", "funds",
)
ADJECTIVES = (
    "responsible", "transparent", "fair", "clear", "simple", "rural", "urban", "regional", "national", "small",
    "large", "new", "early", "practical", "careful", "written", "annual", "monthly", "local", "independent",
    "formal", "informal", "digital", "mobile", "shared", "common", "specific", "detailed", "first", "final",
)
ADVERBS = ("carefully", "quickly", "often", "rarely", "openly", "gradually", "regularly", "jointly", "clearly")
PREPOSITIONS = ("for", "with", "in", "across", "through", "after", "before", "among", "beyond", "within")
DETERMINERS = ("the", "a", "each", "every", "one", "this", "that", "their", "its", "our")
CONNECTORS = ("However,", "In practice,", "As a result,", "For example,", "Over time,", "At first,", "Meanwhile,")

TAGS = (
    "client protection", "over-indebtedness", "transparency", "pricing", "fair treatment", "privacy",
    "complaint resolution", "appropriate products", "social performance management", "networks and associations",
    "staff training", "crisis response", "digital finance", "agent banking", "rural finance", "women clients",
    "youth", "savings groups", "insurance", "collections practices", "governance", "investor due diligence",
    "regulation", "financial education", "credit bureaus", "loan officer incentives", "market research",
    "assessments", "certification", "staff with disabilities", "client feedback", "data protection",
    "interest rate caps", "multiple borrowing", "product design", "board oversight", "codes of conduct",
    "consumer protection law", "mobile money", "microinsurance", "housing finance", "agricultural lending",
    "small business lending", "remittances", "refugee clients", "gender", "climate resilience", "recovery",
)

# Real countries (English names or ISO 3166 codes the plugin normalises);
# the order sets how often each appears (a skewed distribution).
COUNTRIES = (
    "India", "Kenya", "Peru", "Bolivia", "Mexico", "Philippines", "Cambodia", "Bangladesh", "Nigeria", "Uganda",
    "Ecuador", "Azerbaijan", "Tanzania", "Ghana", "Colombia", "Pakistan", "Indonesia", "Morocco", "Egypt",
    "Nicaragua", "Honduras", "Guatemala", "Kyrgyzstan", "Tajikistan", "Mongolia", "Georgia", "Armenia",
    "Bosnia and Herzegovina", "Albania", "Senegal", "Mali", "Benin", "Rwanda", "Ethiopia", "Zambia", "Malawi",
    "Mozambique", "Madagascar", "Haiti", "Dominican Republic", "Paraguay", "El Salvador", "Brazil", "Nepal",
    "Sri Lanka", "Vietnam", "Myanmar", "Laos", "Jordan", "Lebanon", "Tunisia", "Burkina Faso", "Togo",
    "Cameroon", "Sierra Leone", "Liberia", "Zimbabwe", "South Africa", "Timor-Leste", "Moldova",
    "KE", "PE", "IN", "MX", "PH", "KH", "UG", "BO",
)

FIRST_NAMES = (
    "Amara", "Bilal", "Carmen", "Dara", "Elif", "Femi", "Gita", "Hugo", "Ines", "Jonas", "Kemi", "Luis",
    "Mira", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samir", "Tara", "Umar", "Vera", "Wen", "Ximena",
    "Yara", "Zane", "Aylin", "Bruno", "Chidi", "Dina",
)
LAST_NAMES = (
    "Abebe", "Barros", "Castell", "Dumont", "Eze", "Farouk", "Garvin", "Halloran", "Ibarra", "Juarez",
    "Kovac", "Lindqvist", "Moreau", "Nkosi", "Okoro", "Petrov", "Quispe", "Rahman", "Santos", "Tanaka",
    "Usman", "Varga", "Wekesa", "Xu", "Yilmaz", "Zuniga", "Achebe", "Bianchi", "Cruz", "Demir",
)

SYLLABLES = (
    "ka", "lo", "mi", "ra", "zu", "ven", "tor", "sel", "dan", "bri", "mo", "na", "vel", "qui", "ta", "ser",
    "lum", "pa", "dor", "fi", "gan", "ho", "ix", "jo", "ke", "lar", "nu", "ost", "pri", "ru",
)
ORGANIZATION_KINDS = (
    "Microfinance Bank", "Credit Cooperative", "Savings Union", "Microcredit Foundation", "Finance Company",
    "Lending Network", "Rural Bank", "Microfinance Association", "Community Fund", "Impact Investors",
)
