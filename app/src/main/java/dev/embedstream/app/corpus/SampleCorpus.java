package dev.embedstream.app.corpus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Deterministic generator of realistic documents (title + body) for demos and benchmarks. */
public final class SampleCorpus {

    private static final int MIN_BODY_WORDS = 40;
    private static final int MAX_BODY_WORDS = 180;
    private static final int MIN_SENTENCES = 2;
    private static final int MAX_SENTENCES = 7;
    private static final int MIN_TITLE_WORDS = 3;
    private static final int MAX_TITLE_WORDS = 12;

    private static final List<Category> CATEGORIES = List.of(
            recipes(), travel(), products(), releaseNotes(), howTo(), fitness(),
            finance(), gardening(), homeRepair(), petCare(), science());

    private SampleCorpus() {
    }

    /** One generated document. */
    public record Entry(String id, String title, String body, String category) {
        /** Title and body joined the way they are embedded. */
        public String text() {
            return title + "\n\n" + body;
        }
    }

    public static List<Entry> generate(int count, long seed) {
        return stream(count, seed).toList();
    }

    public static Stream<Entry> stream(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        return IntStream.range(0, count).mapToObj(index -> entry(index, seed));
    }

    // Each entry gets its own generator derived only from (seed, index), so any prefix of the
    // corpus is identical no matter how many entries are requested or in which order they are built.
    private static Entry entry(int index, long seed) {
        SplittableRandom rng = new SplittableRandom(mix(seed ^ mix(index + 1L)));
        Category category = CATEGORIES.get(rng.nextInt(CATEGORIES.size()));
        Draft draft = new Draft(category, rng);
        String title = draft.title();
        return new Entry(id(index + 1), title, draft.body(), category.name);
    }

    private static String id(int ordinal) {
        String digits = Integer.toString(ordinal);
        return "doc-" + "000000".substring(Math.min(6, digits.length())) + digits;
    }

    // Stafford's mix13: neighbouring indices must not yield correlated SplittableRandom streams.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------------------------------------
    // Template machinery. Syntax: {slot} inserts a value, {slot.1} the second '|'-separated part of a
    // tuple value, {a:slot} prefixes the right indefinite article. A slot is drawn once per document,
    // which is what keeps the title and every sentence of the body about the same subject. A name
    // with a trailing digit (e.g. {herb2}) that is not declared draws another value of the base slot.
    // ---------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Slot {
        String[] draw(SplittableRandom rng);
    }

    private record SlotDef(Slot slot, int arity) {
    }

    private record Segment(String literal, String slot, int part, boolean article) {
        static Segment text(String literal) {
            return new Segment(literal, null, 0, false);
        }

        static Segment reference(String spec) {
            boolean article = spec.startsWith("a:");
            String ref = article ? spec.substring(2) : spec;
            int dot = ref.indexOf('.');
            String name = dot < 0 ? ref : ref.substring(0, dot);
            int part = dot < 0 ? 0 : Integer.parseInt(ref.substring(dot + 1));
            return new Segment(null, name, part, article);
        }
    }

    private record Template(String source, Segment[] segments) {
        static Template parse(String source) {
            List<Segment> out = new ArrayList<>();
            int pos = 0;
            while (pos < source.length()) {
                int open = source.indexOf('{', pos);
                if (open < 0) {
                    out.add(Segment.text(source.substring(pos)));
                    break;
                }
                if (open > pos) {
                    out.add(Segment.text(source.substring(pos, open)));
                }
                int close = source.indexOf('}', open);
                if (close < 0) {
                    throw new IllegalArgumentException("Unclosed slot in template: " + source);
                }
                out.add(Segment.reference(source.substring(open + 1, close)));
                pos = close + 1;
            }
            return new Template(source, out.toArray(Segment[]::new));
        }
    }

    private static final class Category {
        private final String name;
        private final Map<String, SlotDef> slots = new HashMap<>();
        private final List<Template> titles = new ArrayList<>();
        private final List<Template> leads = new ArrayList<>();
        private final List<Template> sentences = new ArrayList<>();

        Category(String name) {
            this.name = name;
        }

        Category words(String slot, String... values) {
            String[][] parts = new String[values.length][];
            int arity = Integer.MAX_VALUE;
            for (int i = 0; i < values.length; i++) {
                parts[i] = values[i].split("\\|");
                arity = Math.min(arity, parts[i].length);
            }
            slots.put(slot, new SlotDef(rng -> parts[rng.nextInt(parts.length)], arity));
            return this;
        }

        Category range(String slot, int min, int max, int step) {
            int steps = (max - min) / step + 1;
            slots.put(slot, new SlotDef(rng -> new String[] {Integer.toString(min + step * rng.nextInt(steps))}, 1));
            return this;
        }

        Category computed(String slot, Function<SplittableRandom, String> generator) {
            slots.put(slot, new SlotDef(rng -> new String[] {generator.apply(rng)}, 1));
            return this;
        }

        Category titles(String... templates) {
            return add(titles, templates);
        }

        /** Opening sentences; each must name the same subject terms as the titles. */
        Category leads(String... templates) {
            return add(leads, templates);
        }

        Category sentences(String... templates) {
            return add(sentences, templates);
        }

        private Category add(List<Template> target, String... templates) {
            for (String template : templates) {
                target.add(Template.parse(template));
            }
            return this;
        }

        // A typo in a template would otherwise only surface for the rare seed that selects it.
        Category checked() {
            if (titles.isEmpty() || leads.isEmpty() || sentences.size() < MAX_SENTENCES - 1) {
                throw new IllegalStateException(name + ": not enough templates");
            }
            for (List<Template> group : List.of(titles, leads, sentences)) {
                for (Template template : group) {
                    check(template);
                }
            }
            return this;
        }

        private void check(Template template) {
            for (Segment segment : template.segments()) {
                if (segment.slot() == null) {
                    continue;
                }
                SlotDef def = definition(segment.slot());
                if (def == null || segment.part() >= def.arity()) {
                    throw new IllegalStateException(
                            name + ": bad slot {" + segment.slot() + "} in " + template.source());
                }
            }
        }

        private SlotDef definition(String slot) {
            SlotDef def = slots.get(slot);
            return def != null ? def : slots.get(baseName(slot));
        }

        String[] draw(String slot, Draft draft) {
            SlotDef def = slots.get(slot);
            if (def != null) {
                return def.slot().draw(draft.rng);
            }
            String base = baseName(slot);
            String taken = draft.value(base)[0];
            Slot baseSlot = slots.get(base).slot();
            String[] value = baseSlot.draw(draft.rng);
            for (int attempt = 0; attempt < 8 && value[0].equals(taken); attempt++) {
                value = baseSlot.draw(draft.rng);
            }
            return value;
        }

        private static String baseName(String slot) {
            int end = slot.length();
            while (end > 0 && Character.isDigit(slot.charAt(end - 1))) {
                end--;
            }
            return slot.substring(0, end);
        }
    }

    /** The per-document state: bound slot values plus the entry's random generator. */
    private static final class Draft {
        private final Category category;
        private final SplittableRandom rng;
        private final Map<String, String[]> bound = new HashMap<>(16);

        Draft(Category category, SplittableRandom rng) {
            this.category = category;
            this.rng = rng;
        }

        private Template pick(List<Template> templates) {
            return templates.get(rng.nextInt(templates.size()));
        }

        String[] value(String slot) {
            String[] value = bound.get(slot);
            if (value == null) {
                value = category.draw(slot, this);
                bound.put(slot, value);
            }
            return value;
        }

        String render(Template template) {
            StringBuilder out = new StringBuilder(96);
            renderInto(out, template);
            return out.toString();
        }

        // Appends in place: building each sentence as its own String dominated the generation cost.
        private void renderInto(StringBuilder out, Template template) {
            int start = out.length();
            for (Segment segment : template.segments()) {
                if (segment.literal() != null) {
                    out.append(segment.literal());
                    continue;
                }
                String value = value(segment.slot())[segment.part()];
                if (segment.article()) {
                    out.append(article(value)).append(' ');
                }
                out.append(value);
            }
            out.setCharAt(start, Character.toUpperCase(out.charAt(start)));
        }

        // Long tuple values can push a template past the title limit, so other templates are tried;
        // every category has at least one short template, which makes the fallback unreachable.
        String title() {
            for (int index : shuffledIndices(category.titles.size())) {
                String title = render(category.titles.get(index));
                int words = wordCount(title, 0);
                if (words >= MIN_TITLE_WORDS && words <= MAX_TITLE_WORDS) {
                    return title;
                }
            }
            throw new IllegalStateException(category.name + ": no title template fits the length limits");
        }

        // The lead always comes first so the body names the title's subject; the rest are drawn in a
        // random order until both the sentence target and the minimum length are met.
        String body() {
            StringBuilder out = new StringBuilder(768);
            renderInto(out, pick(category.leads));
            int words = wordCount(out, 0);
            int count = 1;
            int target = MIN_SENTENCES + rng.nextInt(MAX_SENTENCES - MIN_SENTENCES + 1);
            for (int index : shuffledIndices(category.sentences.size())) {
                if (count >= MAX_SENTENCES || (count >= target && words >= MIN_BODY_WORDS)) {
                    break;
                }
                int mark = out.length();
                renderInto(out.append(' '), category.sentences.get(index));
                int length = wordCount(out, mark);
                if (words + length > MAX_BODY_WORDS) {
                    out.setLength(mark);
                } else {
                    words += length;
                    count++;
                }
            }
            return out.toString();
        }

        private int[] shuffledIndices(int size) {
            int[] indices = new int[size];
            for (int i = 0; i < size; i++) {
                indices[i] = i;
            }
            for (int i = size - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int swap = indices[i];
                indices[i] = indices[j];
                indices[j] = swap;
            }
            return indices;
        }
    }

    private static String article(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        if (lower.startsWith("one") || lower.startsWith("uni") || lower.startsWith("use") || lower.startsWith("eu")) {
            return "a";
        }
        if (lower.startsWith("hour") || lower.startsWith("honest")) {
            return "an";
        }
        return "aeiou".indexOf(lower.charAt(0)) >= 0 ? "an" : "a";
    }

    private static int wordCount(CharSequence text, int from) {
        int count = 0;
        boolean inWord = false;
        for (int i = from; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                count++;
            }
            inWord = !space;
        }
        return count;
    }

    // ---------------------------------------------------------------------------------------------
    // Categories. Vocabularies are deliberately disjoint between categories so that semantic search
    // over the corpus has clear right answers ("repot a plant" -> gardening, "retirement" -> finance).
    // Tuple values pair words that must agree (a city with its dish, a repair with its tool).
    // ---------------------------------------------------------------------------------------------

    private static Category recipes() {
        return new Category("recipes")
                .words("protein", "lamb shank", "chicken thighs", "pork shoulder", "beef brisket", "salmon fillet",
                        "cod loin", "chickpeas", "firm tofu", "tempeh", "duck breast", "turkey meatballs", "shrimp",
                        "mussels", "black beans", "red lentils", "halibut", "pork belly", "short ribs", "eggplant",
                        "cauliflower", "butternut squash", "wild mushrooms", "sea bass", "venison steak", "rabbit legs",
                        "lamb meatballs", "chicken wings", "beef cheeks", "rainbow trout", "sardines", "paneer",
                        "halloumi", "sweet potatoes", "white beans", "veal cutlets", "squid", "pork chops",
                        "whole chicken", "king oyster mushrooms", "monkfish")
                .words("method", "slow-cooked", "pan-seared", "oven-roasted", "braised", "grilled", "smoked",
                        "poached", "stir-fried", "charred", "baked", "crispy", "spiced", "stewed", "pressure-cooked",
                        "one-pot", "sheet-pan", "barbecued", "herb-crusted", "marinated", "sticky", "slow-roasted",
                        "blackened", "butter-basted", "twice-cooked")
                .words("herb", "rosemary", "thyme", "sage", "oregano", "basil", "cilantro", "dill", "tarragon", "mint",
                        "flat-leaf parsley", "bay leaves", "marjoram", "chives", "lemongrass", "fennel seed", "cumin",
                        "smoked paprika", "sumac", "za'atar", "star anise", "cardamom", "turmeric", "fresh ginger",
                        "coriander seed", "chili flakes", "saffron", "cracked black pepper", "allspice", "cinnamon",
                        "garam masala", "five-spice powder", "curry leaves")
                .words("aromatic", "garlic", "shallots", "leeks", "red onion", "preserved lemon", "white miso",
                        "tahini", "soy sauce", "honey", "maple syrup", "capers", "green olives", "anchovies",
                        "white wine", "red wine", "tomato paste", "coconut milk", "yogurt", "brown butter", "lime",
                        "orange zest", "harissa", "gochujang", "pomegranate molasses", "balsamic vinegar",
                        "whole-grain mustard", "dried apricots", "dates", "roasted peppers", "sun-dried tomatoes",
                        "basil pesto", "chipotle", "fish sauce", "toasted sesame oil", "black garlic")
                .words("side", "creamy polenta", "buttered noodles", "jasmine rice", "herbed couscous",
                        "mashed potatoes", "crusty bread", "a crisp green salad", "roasted carrots", "warm flatbread",
                        "lemony quinoa", "garlicky greens", "steamed broccoli", "wild rice", "a lentil salad",
                        "charred corn", "a crunchy slaw", "buttery naan", "roast potatoes", "soft tortillas")
                .words("vessel", "Dutch oven", "cast-iron skillet", "roasting tray", "wok", "slow cooker", "sheet pan",
                        "heavy casserole", "stockpot", "grill pan", "clay pot", "pressure cooker", "shallow braiser")
                .words("texture", "tender", "juicy", "succulent", "silky", "crisp at the edges", "deeply flavorful",
                        "glossy and rich", "perfectly cooked", "fragrant")
                .words("occasion", "weeknight dinner", "Sunday lunch", "dinner party", "holiday table", "family supper",
                        "cold evening", "summer barbecue", "lazy weekend brunch", "potluck", "birthday dinner",
                        "date night", "game-day spread", "picnic", "Friday night in")
                .words("garnish", "chopped parsley", "sliced scallions", "toasted almonds", "pomegranate seeds",
                        "crumbled feta", "sesame seeds", "crispy shallots", "lemon zest", "snipped chives",
                        "chopped pistachios", "pickled chilies", "fresh mint leaves")
                .words("drink", "a crisp white wine", "a light red", "sparkling water with lime", "a cold lager",
                        "iced tea with mint", "a dry cider")
                .range("minutes", 10, 45, 5)
                .range("temp", 160, 230, 10)
                .range("serves", 2, 8, 1)
                .titles("{method} {protein} with {herb} and {aromatic}",
                        "{herb} and {aromatic} {protein}",
                        "Easy {method} {protein} for {a:occasion}",
                        "{method} {protein} with {aromatic}, served with {side}",
                        "How to make {method} {protein} with {herb}",
                        "{method} {protein} in {a:vessel}")
                .leads("This recipe for {method} {protein} is built around {herb} and {aromatic}, and it comes out "
                                + "{texture} every time.",
                        "If you are planning {a:occasion}, {method} {protein} with {herb} and {aromatic} is hard to "
                                + "beat.",
                        "Our recipe for {method} {protein} pairs {herb} with {aromatic} for a dish that is {texture} "
                                + "and easy to scale up.",
                        "Few dishes suit {a:occasion} better than {method} {protein} flavored with {herb} and "
                                + "{aromatic}.")
                .sentences("Start by patting the {protein} dry and seasoning all sides generously with salt, pepper, "
                                + "and {herb}.",
                        "Heat a little oil in {a:vessel} over medium-high heat and brown the {protein} in batches so "
                                + "the pan never crowds.",
                        "Stir in the {aromatic} and let everything cook gently for about {minutes} minutes, scraping "
                                + "up the browned bits as you go.",
                        "If you are finishing the dish in the oven, set it to {temp} degrees Celsius and check for "
                                + "doneness after {minutes2} minutes.",
                        "Serve with {side} and spoon any pan juices over the top.",
                        "The recipe serves {serves} people, and leftovers keep well in the fridge for up to three "
                                + "days.",
                        "A squeeze of lemon and a scattering of {garnish} right before serving brightens the whole "
                                + "plate.",
                        "For a milder version, halve the {herb} and add the {aromatic} a little later in the cooking.",
                        "Make-ahead tip: marinate the {protein} the night before, which deepens the flavor and "
                                + "shortens the work on the day.",
                        "Leftovers reheat best covered in a low oven with a splash of stock, which stops the "
                                + "{protein} from drying out.",
                        "We tested the dish with both fresh and dried {herb}; fresh gives a brighter finish, while "
                                + "dried adds a deeper, earthier note.",
                        "Pair it with {drink} for a relaxed, restaurant-style meal at home.")
                .checked();
    }

    private static Category travel() {
        return new Category("travel")
                .words("city", "Lisbon|Portugal|custard tarts|the hill palaces of Sintra",
                        "Porto|Portugal|grilled sardines|the terraced vineyards of the Douro Valley",
                        "Kyoto|Japan|matcha sweets|the deer park at Nara",
                        "Marrakesh|Morocco|slow-cooked tagine|the foothills of the Atlas Mountains",
                        "Reykjavik|Iceland|lamb soup|the geothermal fields of the Golden Circle",
                        "Cape Town|South Africa|Cape Malay curry|the winelands of Stellenbosch",
                        "Hanoi|Vietnam|pho|the limestone islands of Ha Long Bay",
                        "Cartagena|Colombia|fried fish with coconut rice|the Rosario Islands",
                        "Edinburgh|Scotland|smoked haddock soup|the lochs of the Highlands",
                        "Vancouver|Canada|fresh salmon|the mountain village of Whistler",
                        "Oaxaca|Mexico|mole|the ancient ruins of Monte Alban",
                        "Tbilisi|Georgia|cheese-filled khachapuri|the wine region of Kakheti",
                        "Seville|Spain|tapas|the white villages of Andalusia",
                        "Ljubljana|Slovenia|buckwheat dumplings|the glacial lake at Bled",
                        "Valparaiso|Chile|seafood empanadas|the vineyards of the Casablanca Valley",
                        "Queenstown|New Zealand|lamb pies|the fjords of Milford Sound",
                        "Chiang Mai|Thailand|khao soi curry noodles|the hill temples of Doi Suthep",
                        "Istanbul|Turkey|grilled fish sandwiches|the Princes' Islands",
                        "Bergen|Norway|creamy fish soup|the fjord villages of the Sognefjord",
                        "Dubrovnik|Croatia|black risotto|the island of Lokrum",
                        "Krakow|Poland|pierogi|the underground salt mine at Wieliczka",
                        "Cusco|Peru|quinoa soup|the Sacred Valley",
                        "Hobart|Tasmania|fresh oysters|the beaches of Freycinet National Park",
                        "Tallinn|Estonia|dark rye bread|the bogs of Lahemaa National Park",
                        "Naples|Italy|wood-fired pizza|the ruins of Pompeii",
                        "Luang Prabang|Laos|sticky rice with herbs|the Kuang Si waterfalls",
                        "Montreal|Canada|wood-fired bagels|the Laurentian Mountains",
                        "Granada|Spain|free tapas with every drink|the Sierra Nevada",
                        "Zanzibar|Tanzania|spiced seafood|the spice farms inland",
                        "Salzburg|Austria|apple strudel|the lakes of the Salzkammergut",
                        "Bruges|Belgium|Belgian waffles|the coastal town of Ostend",
                        "Santa Fe|New Mexico|green chile stew|the cliff dwellings of Bandelier",
                        "Penang|Malaysia|char kway teow|the rainforest trails of Penang National Park",
                        "Mendoza|Argentina|grilled beef|the Malbec vineyards of the Uco Valley",
                        "Valletta|Malta|rabbit stew|the island of Gozo",
                        "Kotor|Montenegro|fresh mussels|the mountain roads of Lovcen",
                        "Sapporo|Japan|miso ramen|the hot springs of Jozankei",
                        "Quebec City|Canada|poutine|the Montmorency Falls",
                        "Athens|Greece|souvlaki|the temple at Cape Sounion",
                        "Copenhagen|Denmark|open sandwiches|the castles of North Zealand")
                .words("tripType", "weekend", "three-day", "five-day", "one-week", "budget", "family", "solo",
                        "romantic", "off-season", "first-time", "long-weekend", "slow-travel")
                .words("season", "spring", "early autumn", "late summer", "winter", "the shoulder season",
                        "the dry season", "late spring", "early summer", "midwinter", "late autumn")
                .words("landmark", "old town", "harbor", "central market", "cathedral quarter", "riverside promenade",
                        "botanical garden", "castle hill", "artists' quarter", "waterfront", "main square",
                        "university district", "old fishing quarter", "hilltop viewpoint", "covered market")
                .words("activity", "food tours", "street art walks", "museum days", "night markets", "wine tasting",
                        "cycling routes", "boat trips", "live music", "cooking classes", "architecture walks",
                        "coffee houses", "craft breweries", "bird watching", "hiking trails", "vintage shopping",
                        "photography walks", "sunset viewpoints")
                .words("transport", "tram", "metro", "ferry", "bus", "bicycle", "regional train", "funicular", "taxi",
                        "scooter", "electric bike", "cable car")
                .range("days", 2, 10, 1)
                .range("budget", 40, 250, 10)
                .range("weeks", 2, 12, 1)
                .titles("{tripType} travel guide to {city}",
                        "What to see in {city} in {season}",
                        "{city} on a budget: {activity}, food and transport",
                        "{a:tripType} itinerary for {city}, {city.1}",
                        "Best {activity} in {city} and where to stay",
                        "Getting around {city} by {transport}")
                .leads("{city} rewards travelers who slow down, and {a:tripType} trip in {season} is an ideal way "
                                + "to see it.",
                        "This guide to {city} covers the {landmark}, the best {activity}, and how to get around by "
                                + "{transport}.",
                        "Planning a trip to {city}? Here is what we learned after {days} days exploring the "
                                + "{landmark} and beyond.",
                        "Visiting {city} in {season} means thinner crowds, softer light, and easier access to "
                                + "{activity}.",
                        "{city} is one of the most rewarding places to visit in {city.1}, especially for anyone "
                                + "who loves {activity}.")
                .sentences("Most visitors base themselves near the {landmark}, where cafes open early and everything "
                                + "is within a short walk.",
                        "Getting around is simple: the {transport} network is reliable, and a multi-day pass pays "
                                + "for itself by the second day.",
                        "Budget roughly {budget} US dollars a day for food, transport, and entry fees if you stay in "
                                + "mid-range guesthouses.",
                        "Do not leave without trying {city.2}, ideally from a busy stall or family-run restaurant "
                                + "where the turnover keeps everything fresh.",
                        "For {activity}, head out in the late afternoon when the heat fades and the locals come out.",
                        "Book accommodation at least {weeks} weeks ahead if you plan to travel in {season}, as the "
                                + "best rooms go quickly.",
                        "A day trip to {city.3} is worth the early start, and regular departures make it easy to "
                                + "return by dinner.",
                        "Pack comfortable shoes, because the streets around the {landmark} are steep and paved with "
                                + "uneven stone.",
                        "Many museums close one day a week, so check opening hours before you plan the days around "
                                + "the {landmark}.",
                        "Carry a refillable water bottle and some small change for markets, tips, and public toilets.",
                        "The {landmark2} is at its best at sunrise, before the tour groups arrive and while the "
                                + "light is still soft.",
                        "Learning a few words of the local language goes a long way, and people in {city.1} are "
                                + "generous with visitors who try.")
                .checked();
    }

    private static Category products() {
        return new Category("products")
                .words("brand", "Aurora", "Nimbus", "Kestrel", "Halcyon", "Tundra", "Lumen", "Cascade", "Ember",
                        "Quill", "Solace", "Breeze", "Ridgeline", "Harbor", "Vela", "Orbit", "Pulse", "Summit",
                        "Drift", "Fable", "Cinder", "Marlow", "Tern", "Juno", "Borealis", "Sable", "Alder", "Wren",
                        "Zephyr", "Larch", "Osprey")
                .computed("model", SampleCorpus::modelName)
                .words("product", "noise-cancelling headphones", "espresso machine", "robot vacuum", "standing desk",
                        "mechanical keyboard", "air purifier", "hiking backpack", "electric kettle", "smartwatch",
                        "portable speaker", "high-speed blender", "rice cooker", "ergonomic office chair", "e-reader",
                        "cordless drill", "air fryer", "4K monitor", "wireless earbuds", "down jacket",
                        "trail running shoes", "camping stove", "yoga mat", "sleeping bag", "laptop stand", "webcam",
                        "dehumidifier", "electric toothbrush", "chef's knife", "action camera", "smart thermostat",
                        "bike light", "mini projector", "desk lamp", "dash cam", "stand mixer", "fitness tracker",
                        "carry-on suitcase", "tablet")
                .words("adj", "lightweight", "compact", "durable", "premium", "affordable", "sleek", "rugged",
                        "versatile", "quiet", "powerful", "well-built", "elegant", "travel-friendly")
                .words("feature", "all-day battery life", "a brushed aluminum body", "USB-C charging",
                        "a quiet brushless motor", "a washable filter", "app control", "recycled materials",
                        "a compact footprint", "one-touch presets", "water resistance", "a magnetic mount",
                        "fast charging", "a replaceable battery", "a matte finish", "memory foam padding",
                        "a bright digital display", "dishwasher-safe parts", "Bluetooth 5.3 connectivity",
                        "an automatic shut-off", "a tool-free setup", "adjustable height settings",
                        "a low-energy standby mode", "a built-in carrying handle", "voice control")
                .words("audience", "commuters", "home cooks", "remote workers", "students", "frequent travelers",
                        "runners", "small apartments", "families", "gamers", "beginners", "outdoor enthusiasts",
                        "coffee lovers", "new parents", "photographers", "weekend hikers")
                .words("color", "slate gray", "forest green", "sand", "midnight blue", "matte black", "off-white",
                        "terracotta", "charcoal", "sage green", "dusty rose")
                .words("drawback", "the short power cable", "the glossy surface that shows smudges",
                        "a slightly loud startup", "the limited color choice", "a clunky companion app",
                        "the premium price", "stiff buttons", "an oversized box", "a vague instruction manual",
                        "the lack of a carrying case")
                .words("accessory", "a protective case", "a travel pouch", "a spare filter", "a wall mount",
                        "a charging dock", "a cleaning kit", "a padded strap", "an extension cable")
                .range("price", 29, 899, 10)
                .range("weeks", 2, 8, 1)
                .range("years", 1, 5, 1)
                .range("minutes", 5, 20, 5)
                .range("percent", 10, 35, 5)
                .titles("{brand} {model} {product}: {adj} and built for {audience}",
                        "{brand} {model} {product} review",
                        "The {adj} {product} for {audience}",
                        "{brand} {product} with {feature}",
                        "{brand} {model} {product}: our verdict for {audience}",
                        "{brand} {model} {product} in {color}")
                .leads("The {brand} {model} is {a:adj} {product} designed for {audience}, combining {feature} with "
                                + "{feature2}.",
                        "Meet the {brand} {model}, {a:adj} {product} that brings {feature} to {audience} for {price} "
                                + "dollars.",
                        "We spent {weeks} weeks with the {brand} {model} {product}, and it quickly became the one we "
                                + "reach for first.",
                        "Shopping for {a:adj} {product}? The {brand} {model} stands out for {feature} and a design "
                                + "that suits {audience}.")
                .sentences("It is available in {color} and {color2}, and the finish resists fingerprints and "
                                + "light scratches.",
                        "Setup takes less than {minutes} minutes, and the quick-start guide covers everything in "
                                + "plain language.",
                        "The {product} is covered by a {years}-year warranty, and replacement parts are sold "
                                + "directly by the manufacturer.",
                        "Compared with the previous generation, the {model} adds {feature3} and trims the overall "
                                + "size by about {percent} percent.",
                        "Our only real complaint is {drawback}, which may matter if you plan to use it every day.",
                        "At {price} dollars it sits in the middle of the market, but the build feels closer to "
                                + "models that cost twice as much.",
                        "Packaging is plastic-free and made from recycled cardboard, a small detail we appreciated.",
                        "Customer reviews praise {feature} most often, especially among {audience}.",
                        "It pairs well with {accessory}, which is sold separately.",
                        "Customer support answered our questions within a day and offered a prepaid return label "
                                + "without any fuss.",
                        "If you need something more portable, the smaller sibling of the {model} keeps most of the "
                                + "features at a lower price.")
                .checked();
    }

    private static String modelName(SplittableRandom rng) {
        String[] prefixes = {"X", "S", "Pro ", "Air ", "Max ", "Go ", "Lite ", "Studio ", "Mini ", "One "};
        return prefixes[rng.nextInt(prefixes.length)] + (2 + rng.nextInt(9));
    }

    private static Category releaseNotes() {
        return new Category("release-notes")
                .words("app", "Foxglove", "Ashgrove", "Bluefin", "Copperleaf", "Duskline", "Elmstead", "Granitelog",
                        "Hollowpeak", "Juniper", "Kettleworks", "Lindenhall", "Marigold", "Nettlebed", "Oakridge",
                        "Pebblecast", "Quarrystone", "Rivermint", "Saltmarsh", "Thornbury", "Umberfield",
                        "Willowbrook", "Yarrowfield", "Zephyrine", "Cobaltsync", "Fernwood", "Brightpath")
                .words("kind", "database", "task tracker", "photo editor", "static site generator",
                        "password manager", "note-taking app", "build tool", "API gateway", "message queue",
                        "spreadsheet app", "mobile banking app", "music player", "video conferencing client",
                        "code editor", "backup utility", "email client", "CI server", "monitoring agent",
                        "mapping SDK", "payment library")
                .computed("version", rng -> (1 + rng.nextInt(12)) + "." + rng.nextInt(20) + "." + rng.nextInt(10))
                .words("newFeature", "dark mode", "offline sync", "bulk export to CSV",
                        "customizable keyboard shortcuts",
                        "two-factor authentication", "incremental backups", "a plugin API", "full-text search",
                        "role-based access control", "outgoing webhooks", "streaming replication",
                        "a redesigned settings page", "ARM64 builds", "single sign-on", "audit logging",
                        "configurable retention policies", "GPU acceleration", "a simpler onboarding flow",
                        "scheduled reports", "native Apple Silicon support", "a command palette",
                        "end-to-end encryption for attachments", "a read-only sharing mode")
                .words("fix", "a memory leak when large files were imported",
                        "a crash on startup with corrupted caches",
                        "incorrect time zones in exported reports", "slow queries on tables with many indexes",
                        "duplicate notifications after reconnecting", "a race condition in the upload queue",
                        "broken links in the generated sitemap", "a login loop on older browsers",
                        "stale data after switching accounts", "high CPU usage while idle",
                        "truncated file names on Windows", "an off-by-one error in pagination",
                        "a deadlock during schema migrations", "garbled characters in non-English file paths")
                .words("perf", "startup", "sync", "search", "builds", "queries", "imports", "exports", "page loads",
                        "indexing", "backups", "uploads")
                .words("platform", "Windows", "macOS", "Linux", "Android", "iOS", "Docker", "Kubernetes", "FreeBSD")
                .words("deprecated", "the legacy XML configuration format", "the v1 REST endpoints",
                        "support for Python 3.8", "the old plugin loader", "32-bit builds",
                        "the basic-auth login option",
                        "the command-line flag for verbose logging", "the embedded web server")
                .words("runtime", "Java 17", "Node.js 20", "Python 3.10", "Go 1.22", ".NET 8", "Rust 1.75")
                .range("percent", 10, 70, 5)
                .range("contributors", 4, 90, 1)
                .range("fixCount", 12, 140, 1)
                .titles("{app} {version} release notes",
                        "What's new in {app} {version}: {newFeature} and faster {perf}",
                        "{app} {version} adds {newFeature}",
                        "{app} {version}: bug fixes and faster {perf} for the {kind}",
                        "Release notes for {app} {version}, the {kind}")
                .leads("{app} {version}, the latest release of our {kind}, is now available and brings {newFeature} "
                                + "along with noticeably faster {perf}.",
                        "Version {version} of {app} focuses on {newFeature} and makes {perf} up to {percent} percent "
                                + "faster on typical workloads.",
                        "We are happy to announce {app} {version}, a release of the {kind} that adds {newFeature} and "
                                + "fixes {fix}.",
                        "This release of {app} {version} is mostly about stability, but it also ships {newFeature} "
                                + "for everyone using the {kind}.")
                .sentences("We fixed {fix}, which several users reported on the issue tracker.",
                        "Upgrading is straightforward: back up your configuration, install the new package, and "
                                + "restart the service.",
                        "{deprecated} is now deprecated and will be removed in the next major version.",
                        "Builds are available for {platform} and {platform2}, and checksums are published alongside "
                                + "each download.",
                        "Thanks to the {contributors} contributors who sent patches, reviews, and detailed bug "
                                + "reports during this cycle.",
                        "Alongside the headline changes, this version also ships {newFeature2} as an experimental "
                                + "preview.",
                        "Known issue: on {platform} the first launch after upgrading may take longer while caches "
                                + "are rebuilt.",
                        "The minimum supported runtime is now {runtime}, so check your environment before upgrading.",
                        "Full details of every change, including {fixCount} smaller fixes, are listed in the "
                                + "changelog.",
                        "Administrators running a cluster should upgrade one node at a time to avoid downtime.",
                        "We also resolved {fix2}, a long-standing problem that affected a small number of "
                                + "installations.",
                        "Translations were updated by volunteers, and the documentation now includes a migration "
                                + "guide.")
                .checked();
    }

    private static Category howTo() {
        return new Category("how-to")
                .words("task", "set up SSH keys|Git|macOS", "configure a reverse proxy|nginx|Debian",
                        "cache database queries|Redis|Fedora", "containerize a web application|Docker|macOS",
                        "schedule background jobs|cron|Ubuntu Server", "migrate a database schema|Flyway|Fedora",
                        "write integration tests|JUnit|Ubuntu", "set up continuous integration|GitHub Actions|macOS",
                        "manage infrastructure as code|Terraform|Windows",
                        "run a service on boot|systemd|Rocky Linux",
                        "deploy containers to a cluster|Kubernetes|Ubuntu Server",
                        "speed up slow queries|PostgreSQL|Debian", "embed a local database|SQLite|Fedora",
                        "bundle front-end assets|webpack|Ubuntu", "automate builds|Gradle|macOS",
                        "profile memory usage|VisualVM|Windows", "debug HTTP requests|curl|Ubuntu",
                        "search large log files|grep|Debian", "resolve merge conflicts|Git|Windows",
                        "rotate log files|logrotate|Debian", "issue TLS certificates|Certbot|Fedora",
                        "monitor server metrics|Prometheus|Rocky Linux",
                        "build monitoring dashboards|Grafana|Ubuntu Server", "write a command-line tool|Go|Ubuntu",
                        "parse JSON safely|Python|macOS", "handle time zones correctly|Java|Windows",
                        "stream large files|Node.js|Fedora",
                        "add static types to a JavaScript project|TypeScript|Ubuntu",
                        "format code automatically|Prettier|macOS", "lint shell scripts|ShellCheck|Debian",
                        "create isolated environments|venv|Ubuntu", "publish a package|npm|macOS",
                        "tune garbage collection|the JVM|Windows", "store application secrets|Vault|Rocky Linux",
                        "load test an API|k6|Ubuntu", "back up a database|pg_dump|Debian",
                        "index documents for search|Elasticsearch|Windows", "write a REST API|Spring Boot|Ubuntu",
                        "set up a message queue|RabbitMQ|Fedora", "sync files between servers|rsync|Rocky Linux")
                .words("level", "beginner-friendly", "step-by-step", "practical", "quick", "hands-on", "complete")
                .words("pitfall", "forgetting to close connections", "hard-coding secrets in the source",
                        "ignoring error codes", "blocking the main thread", "running everything as root",
                        "skipping input validation", "mixing local and UTC timestamps", "caching without an expiry",
                        "copying configuration between environments by hand", "testing only the happy path")
                .words("metric", "error rate", "disk usage", "response time", "memory usage", "queue length",
                        "CPU load")
                .range("minutes", 10, 60, 5)
                .titles("How to {task} with {task.1}",
                        "{a:level} guide: how to {task} using {task.1}",
                        "{task.1} tutorial: how to {task}",
                        "How to {task} with {task.1} on {task.2}",
                        "Common mistakes when you {task} with {task.1}")
                .leads("In this {level} tutorial you will learn how to {task} with {task.1} on {task.2}, from the "
                                + "first install to a working setup.",
                        "Knowing how to {task} with {task.1} saves hours of frustration, and the setup is simpler "
                                + "than it looks.",
                        "This guide walks through how to {task} using {task.1}, from installation to a working "
                                + "configuration.",
                        "Teams often put off learning to {task} with {task.1}, yet the core workflow fits on a "
                                + "single page.")
                .sentences("Before you begin, make sure {task.1} is installed and that you have a terminal with "
                                + "administrator rights on your {task.2} machine.",
                        "The most common mistake is {pitfall}, so we address that early in the walkthrough.",
                        "Start with a minimal configuration, confirm that it works, and only then add options one at "
                                + "a time.",
                        "Keep the configuration under version control so that every change is reviewed and easy to "
                                + "roll back.",
                        "If a command fails, read the error message carefully; in most cases it points straight at a "
                                + "typo or a missing permission.",
                        "On a typical laptop the whole process takes about {minutes} minutes.",
                        "Once everything works, write a short script so your teammates can repeat the steps without "
                                + "guessing.",
                        "For production use, add monitoring and an alert that fires when {metric} crosses a "
                                + "threshold.",
                        "We tested these steps with {task.1} on a fresh {task.2} virtual machine.",
                        "Avoid {pitfall2}; it works in a demo but causes real trouble later.",
                        "The official documentation for {task.1} is worth bookmarking for the less common options.")
                .checked();
    }

    private static Category fitness() {
        return new Category("fitness")
                .words("goal", "build leg strength|squats|lunges|step-ups",
                        "improve running endurance|interval runs|tempo runs|hill repeats",
                        "lose body fat|brisk walking|kettlebell circuits|cycling",
                        "fix rounded shoulders|band pull-aparts|face pulls|wall angels",
                        "increase hip flexibility|hip flexor stretches|deep lunges|yoga flows",
                        "build core stability|planks|dead bugs|bird dogs",
                        "reduce lower back pain|glute bridges|cat-cow stretches|bird dogs",
                        "protect your knees|step-downs|wall sits|hamstring curls",
                        "start strength training|goblet squats|push-ups|dumbbell rows",
                        "improve balance|single-leg stands|tai chi|heel-to-toe walks",
                        "gain muscle after forty|deadlifts|bench presses|pull-ups",
                        "train for a first half marathon|long slow runs|easy recovery runs|strides",
                        "lower your resting heart rate|zone two cycling|swimming|brisk walking",
                        "strengthen weak ankles|calf raises|balance board drills|heel walks",
                        "improve grip strength|farmer's carries|dead hangs|towel rows",
                        "build upper body strength|push-ups|pull-ups|overhead presses",
                        "sleep better|evening yoga|gentle stretching|breathing exercises",
                        "stay active while working from home|desk stretches|bodyweight squats|stair climbing",
                        "recover faster after hard workouts|foam rolling|light cycling|mobility drills",
                        "improve sprint speed|hill sprints|box jumps|skipping drills",
                        "strengthen your glutes|hip thrusts|glute bridges|lateral band walks",
                        "do your first pull-up|negative pull-ups|inverted rows|dead hangs",
                        "improve swimming technique|kick drills|catch-up drills|pull buoy sets",
                        "ease neck and shoulder tension|chin tucks|shoulder rolls|doorway stretches",
                        "build a stronger posterior chain|Romanian deadlifts|kettlebell swings|back extensions",
                        "improve cycling power|hill repeats|single-leg pedaling drills|squats",
                        "stay fit during pregnancy|prenatal yoga|swimming|walking",
                        "improve posture at a desk|seated rows|chin tucks|thoracic extensions",
                        "build endurance for hiking|weighted step-ups|stair climbing|long walks")
                .words("audience", "beginners", "busy parents", "older adults", "desk workers", "recreational runners",
                        "people over fifty", "new gym members", "shift workers", "students", "returning athletes")
                .words("frequency", "twice a week", "three times a week", "every other day", "four times a week",
                        "on most days")
                .words("planLength", "four-week", "six-week", "eight-week", "ten-week", "twelve-week")
                .words("nutrient", "protein", "fiber", "magnesium", "complex carbohydrates", "omega-3 fats", "iron",
                        "vitamin D", "potassium", "calcium")
                .words("food", "Greek yogurt", "oats", "lentils", "eggs", "salmon", "bananas", "spinach", "almonds",
                        "cottage cheese", "sweet potatoes", "quinoa", "berries", "chickpeas", "tofu")
                .range("count", 3, 9, 1)
                .range("weeks", 3, 8, 1)
                .range("restDays", 2, 3, 1)
                .titles("How to {goal} with {goal.1}",
                        "{count} simple ways to {goal}",
                        "{goal.1} and {goal.2}: a plan to {goal}",
                        "Can {goal.1} help you {goal}?",
                        "{a:planLength} plan to {goal} for {audience}")
                .leads("If you want to {goal}, {goal.1} done {frequency} is one of the most reliable places to start.",
                        "Many {audience} try to {goal} by doing a little of everything, but a focused routine built on "
                                + "{goal.1} and {goal.2} usually works better.",
                        "Here is a practical way to {goal} using {goal.1}, {goal.2}, and {goal.3}, suitable for "
                                + "{audience}.",
                        "The fastest way to {goal} is rarely the most dramatic one; steady sessions of {goal.1} "
                                + "{frequency} tend to win.")
                .sentences("Begin each session with five to ten minutes of easy movement to raise your heart rate "
                                + "and loosen your joints.",
                        "Focus on form first: move slowly and with control, and end the set when technique starts "
                                + "to slip.",
                        "Progress gradually, adding no more than about ten percent to your weekly training volume.",
                        "Recovery matters as much as training, so schedule at least {restDays} rest days a week and "
                                + "aim for seven to nine hours of sleep.",
                        "Eating enough {nutrient} supports the process, and {food} and {food2} are easy ways to add "
                                + "more to your meals.",
                        "Track your workouts in a notebook or app so you can see improvements that are easy to miss "
                                + "from day to day.",
                        "Mild muscle soreness is normal, but sharp or lasting pain is a signal to stop and see a "
                                + "physiotherapist.",
                        "Add {goal.3} once the basics feel comfortable, usually after about {weeks} weeks.",
                        "Most people notice a real difference within {weeks2} weeks if they stay consistent.",
                        "Drink water throughout the day, especially on training days and in warm weather.",
                        "Check with your doctor before starting a new program if you have a heart condition, are "
                                + "pregnant, or are recovering from an injury.")
                .checked();
    }

    private static Category finance() {
        return new Category("finance")
                .words("goal", "save for retirement", "pay off credit card debt", "build an emergency fund",
                        "buy your first home", "start investing with little money", "lower your monthly bills",
                        "save for a child's education", "plan a career break", "prepare for a recession",
                        "negotiate a higher salary", "improve your credit score", "budget on an irregular income",
                        "retire early", "save for a wedding", "pay down student loans", "stop impulse spending",
                        "budget as a couple", "plan for long-term care costs", "save for a new car",
                        "build wealth on a modest salary", "catch up on retirement savings")
                .words("method", "the 50/30/20 rule", "zero-based budgeting", "the debt snowball method",
                        "the debt avalanche method", "automatic transfers", "the envelope system",
                        "a weekly spending review", "pay-yourself-first budgeting", "sinking funds",
                        "a no-spend month", "a written financial plan", "percentage-based saving")
                .words("instrument", "index funds", "a high-yield savings account", "a workplace pension",
                        "a Roth IRA", "bond funds", "certificates of deposit", "a 401(k) plan", "dividend stocks",
                        "target-date funds", "treasury bills", "a health savings account", "money market funds")
                .words("audience", "young professionals", "freelancers", "new parents", "couples", "recent graduates",
                        "people in their fifties", "single-income households", "renters", "self-employed workers")
                .words("age", "20s", "30s", "40s", "50s")
                .words("milestone", "1,000 dollars", "month of expenses", "paid-off credit card",
                        "full year of contributions", "10,000 dollars in investments")
                .range("percent", 5, 25, 5)
                .range("months", 3, 12, 3)
                .titles("How to {goal} using {method}",
                        "How to {goal} in your {age}",
                        "Why {instrument} can help you {goal}",
                        "{method} explained: a simple way to {goal}",
                        "A guide for {audience}: how to {goal}")
                .leads("If you want to {goal}, {method} is a simple framework that turns good intentions into a "
                                + "monthly habit.",
                        "Many {audience} struggle to {goal}, usually because money leaks out in small amounts before "
                                + "it can be saved.",
                        "This guide explains how to {goal} with {method}, and where {instrument} fits into the plan.",
                        "Whether you are in your {age} or later, the steps to {goal} are the same: spend less than "
                                + "you earn and let {instrument} do the heavy lifting.")
                .sentences("Start by listing every source of income and every fixed expense from the last three "
                                + "months.",
                        "Aim to set aside {percent} percent of your take-home pay, and raise that figure each time "
                                + "your salary goes up.",
                        "An emergency fund covering {months} months of essential expenses protects the plan when "
                                + "something unexpected happens.",
                        "For long-term money, {instrument} can spread risk across many holdings while keeping fees "
                                + "low.",
                        "Automate the transfer on payday so saving happens before you have a chance to spend.",
                        "Review your budget once a month and adjust categories that are consistently over or under.",
                        "High-interest debt should usually be paid down before investing, because the interest you "
                                + "pay is a guaranteed loss.",
                        "Compare fees carefully, since a difference of one percent a year can cost tens of thousands "
                                + "over a working life.",
                        "Talk to a licensed financial adviser if your situation involves tax questions, inheritance, "
                                + "or business income.",
                        "Small wins keep you motivated, so celebrate milestones like your first {milestone} saved.",
                        "Couples should agree on shared goals and decide which expenses come from a joint account.",
                        "Use {instrument2} for money you will need within a few years, and keep riskier assets for "
                                + "distant goals.")
                .checked();
    }

    private static Category gardening() {
        return new Category("gardening")
                .words("job", "repot|repotting|snake plants", "repot|repotting|monstera plants",
                        "repot|repotting|orchids", "repot|repotting|peace lilies", "repot|repotting|fiddle-leaf figs",
                        "prune|pruning|roses", "prune|pruning|hydrangeas", "prune|pruning|apple trees",
                        "prune|pruning|lavender bushes", "prune|pruning|raspberry canes", "prune|pruning|tomato plants",
                        "prune|pruning|clematis vines", "propagate|propagating|pothos cuttings",
                        "propagate|propagating|succulents", "propagate|propagating|spider plants",
                        "propagate|propagating|rubber plants", "propagate|propagating|geraniums",
                        "fertilize|fertilizing|citrus trees", "fertilize|fertilizing|tomato plants",
                        "fertilize|fertilizing|houseplants", "fertilize|fertilizing|lawns",
                        "overwinter|overwintering|dahlias", "overwinter|overwintering|chili pepper plants",
                        "overwinter|overwintering|potted fig trees", "transplant|transplanting|tomato seedlings",
                        "transplant|transplanting|pepper seedlings", "transplant|transplanting|young shrubs",
                        "divide|dividing|hostas", "divide|dividing|ornamental grasses", "divide|dividing|irises",
                        "mulch|mulching|blueberry bushes", "mulch|mulching|vegetable beds", "stake|staking|dahlias",
                        "stake|staking|young trees", "harvest|harvesting|garlic bulbs",
                        "harvest|harvesting|potatoes", "harvest|harvesting|basil plants",
                        "harvest|harvesting|zucchini plants", "plant|planting|tulip bulbs",
                        "plant|planting|strawberries", "plant|planting|garlic cloves", "plant|planting|fruit trees",
                        "deadhead|deadheading|petunias", "deadhead|deadheading|rose bushes", "sow|sowing|carrots",
                        "sow|sowing|sweet peas", "sow|sowing|wildflower seeds", "thin|thinning|carrot seedlings",
                        "train|training|climbing roses", "grow|growing|herbs indoors")
                .words("season", "early spring", "late spring", "midsummer", "late summer", "early autumn",
                        "late autumn", "the dormant season", "a mild spell in winter")
                .words("soil", "well-draining cactus mix", "peat-free compost", "rich loamy soil", "chunky orchid bark",
                        "a mix of compost and perlite", "acidic ericaceous compost", "free-draining sandy soil",
                        "clay soil improved with grit", "a light seed-starting mix")
                .words("problem", "yellowing leaves", "root rot", "aphids", "powdery mildew", "leggy growth",
                        "spider mites", "brown leaf tips", "blossom end rot", "slugs", "fungus gnats", "sunscald",
                        "dropped buds")
                .words("light", "bright indirect light", "full sun", "partial shade", "a north-facing window",
                        "dappled shade", "at least six hours of direct sun", "a bright windowsill")
                .words("tool", "clean pruning shears", "a sharp trowel", "a watering can with a fine rose",
                        "a soil moisture meter", "a hand fork", "a pot one size larger", "soft garden twine",
                        "a pair of gardening gloves", "a garden knife")
                .range("weeks", 2, 6, 1)
                .titles("How to {job} {job.2} in {season}",
                        "{job.1} {job.2}: a beginner's guide",
                        "Common mistakes when {job.1} {job.2}",
                        "When and how to {job} {job.2}",
                        "{job.1} {job.2} without damaging the roots")
                .leads("Knowing when and how to {job} {job.2} makes a big difference to how well they grow, and "
                                + "{season} is usually the right moment.",
                        "{job.1} {job.2} is easier than it sounds if you have {tool} and a little patience.",
                        "{job.2} do best in {light} and {soil}, and they respond well when you {job} them at the "
                                + "right time.",
                        "Gardeners often ask how to {job} {job.2} without setting the plants back, so here is the "
                                + "approach that works for us.")
                .sentences("Water well the day before you {job} them so the roots are hydrated and the soil holds "
                                + "together.",
                        "Use {soil}, because heavy, waterlogged soil is the most common reason {job.2} struggle.",
                        "Give them {light} and check the soil with a finger before every watering.",
                        "Watch for {problem}, which usually points to overwatering, poor drainage, or too little "
                                + "light.",
                        "Feed every {weeks} weeks during the growing season with a balanced liquid fertilizer diluted "
                                + "to half strength.",
                        "Working with {tool} makes the job cleaner and reduces the risk of spreading disease.",
                        "A layer of mulch around the base keeps roots cool, holds moisture, and suppresses weeds.",
                        "Most plants sulk for a week or two after being disturbed, so do not panic if growth slows.",
                        "In cold regions, move containers to a sheltered spot before the first frost.",
                        "Keep notes of what you did and when, so next year you will know exactly what worked.",
                        "If you spot signs of {problem2}, remove the worst affected growth and improve air "
                                + "circulation around the plants.")
                .checked();
    }

    private static Category homeRepair() {
        return new Category("home-repair")
                .words("job", "fix a leaking faucet|faucet|an adjustable wrench|replacement washers|plumber|kitchen",
                        "unclog a bathroom sink|sink|a plunger|a plastic drain snake|plumber|bathroom",
                        "patch a hole in drywall|drywall|a putty knife|joint compound|plasterer|hallway",
                        "replace a light switch|light switch|a voltage tester|a new switch and faceplate|electrician"
                                + "|bedroom",
                        "regrout shower tiles|grout|a grout saw|fresh tile grout|tiler|bathroom",
                        "stop a running toilet|toilet|a pair of pliers|a new flapper valve|plumber|bathroom",
                        "fix a squeaky door hinge|hinge|a screwdriver|silicone lubricant|carpenter|hallway",
                        "reseal a bathtub|bathtub|a caulking gun|mold-resistant silicone sealant|plumber|bathroom",
                        "replace a cracked window pane|window pane|a stiff putty knife|glazing putty|glazier"
                                + "|living room",
                        "bleed a radiator|radiator|a radiator key|an old towel|heating engineer|living room",
                        "fix a sticking door|door|a block plane|medium-grit sandpaper|carpenter|bedroom",
                        "repair a sagging garden gate|gate|a cordless drill|a steel corner brace|carpenter|garden",
                        "replace a shower head|shower head|an adjustable wrench|plumber's tape|plumber|bathroom",
                        "fix a loose stair tread|stair tread|a cordless drill|wood screws and glue|carpenter|hallway",
                        "seal drafty windows|window frames|a utility knife|foam weatherstripping|window fitter"
                                + "|bedroom",
                        "unblock a kitchen drain|drain|a drain auger|an enzyme drain cleaner|plumber|kitchen",
                        "replace a cracked floor tile|floor tile|a notched trowel|tile adhesive|tiler|kitchen",
                        "replace a broken door handle|door handle|a screwdriver set|a replacement latch|locksmith"
                                + "|hallway",
                        "fill gaps around baseboards|baseboards|a caulking gun|paintable decorator's caulk|decorator"
                                + "|living room",
                        "repair a leaking pipe joint|pipe joint|two pipe wrenches|a compression fitting|plumber"
                                + "|basement",
                        "install a smoke alarm|smoke alarm|a cordless drill|wall anchors|electrician|hallway",
                        "mount a TV on a drywall wall|TV bracket|a stud finder|heavy-duty toggle bolts|carpenter"
                                + "|living room",
                        "clean out blocked gutters|gutters|a sturdy ladder|gutter guards|roofer|garden",
                        "fix a dripping outdoor tap|outdoor tap|an adjustable wrench|a new tap washer|plumber|garden",
                        "re-hang a sagging cabinet door|cabinet door|a screwdriver|new concealed hinges|carpenter"
                                + "|kitchen",
                        "cover a water stain on the ceiling|ceiling|a paint roller|stain-blocking primer|decorator"
                                + "|bedroom",
                        "repair a torn window screen|window screen|a spline roller|replacement screen mesh"
                                + "|handyman|bedroom",
                        "quiet a noisy floorboard|floorboard|a cordless drill|countersunk flooring screws"
                                + "|carpenter|bedroom")
                .words("basicTool", "a flashlight", "a tape measure", "a bucket and some old towels", "a pencil",
                        "safety glasses", "a small step ladder", "a pair of work gloves", "a dust sheet")
                .range("minutes", 20, 90, 10)
                .range("cost", 5, 80, 5)
                .range("hours", 2, 8, 1)
                .titles("How to {job}",
                        "How to {job} without calling {a:job.4}",
                        "How to {job}: tools, costs and tips",
                        "{job.1} repair: how to {job} yourself",
                        "How to {job} in under an hour")
                .leads("Knowing how to {job} yourself saves money and a long wait for {a:job.4}, and it rarely takes "
                                + "more than {minutes} minutes.",
                        "If the {job.1} in your {job.5} is giving you trouble, here is how to {job} with basic tools.",
                        "This step-by-step guide shows how to {job}, what it costs, and when it is time to call a "
                                + "professional.",
                        "You do not need much experience to {job}; {job.2} and a careful approach will get you most "
                                + "of the way.")
                .sentences("Before you start, clear the area around the {job.1}, lay down a dust sheet, and shut "
                                + "off water or power if either is involved.",
                        "You will need {job.2}, {job.3}, and {basicTool}, all of which are sold at any hardware store.",
                        "Expect to spend around {cost} dollars on materials, far less than the call-out fee of a "
                                + "typical {job.4}.",
                        "Work slowly and take a photo before removing anything so you remember how the parts fit "
                                + "together.",
                        "Clean and dry the surfaces first, because most repairs fail when they are done over dust, "
                                + "grease, or old residue.",
                        "If the damage to the {job.1} turns out to be worse than expected, replacing the part "
                                + "entirely can be quicker than repairing it.",
                        "Let everything dry or settle for at least {hours} hours before using the {job.5} normally.",
                        "Wear safety glasses and gloves, especially when cutting, sanding, or working overhead.",
                        "When the job is done, test your work several times and check it again the next day for "
                                + "leaks, gaps, or movement.",
                        "Call a licensed professional for anything involving gas lines, structural walls, or the main "
                                + "electrical panel.",
                        "Store any leftover materials in a labeled box, since the same problem often appears "
                                + "elsewhere in the house.")
                .checked();
    }

    private static Category petCare() {
        return new Category("pet-care")
                .words("pet", "puppies", "senior dogs", "indoor cats", "kittens", "rabbits", "guinea pigs",
                        "rescue dogs", "long-haired cats", "ferrets", "working dogs", "small breed dogs",
                        "outdoor cats", "large breed dogs", "adopted greyhounds", "senior cats")
                .words("topic", "nail trimming", "dental care", "grooming", "diet and feeding", "daily exercise",
                        "enrichment and play", "weight management", "annual vet check-ups", "parasite prevention",
                        "summer heat safety", "firework anxiety", "car travel", "introducing a new companion",
                        "basic first aid", "socialization", "bedding and housing", "vaccination schedules",
                        "coat and skin health")
                .words("treat", "small treats", "a favorite toy", "a few pieces of kibble", "a lick mat",
                        "gentle brushing", "a chew")
                .words("symptom", "loss of appetite", "lethargy", "sudden weight change", "excessive scratching",
                        "repeated vomiting", "cloudy eyes", "limping", "heavy breathing", "hiding more than usual",
                        "bad breath")
                .words("gear", "chew toys", "puzzle feeders", "grooming brushes", "travel carriers", "orthopedic beds",
                        "padded harnesses", "water fountains")
                .range("days", 5, 14, 1)
                .range("cost", 200, 2000, 100)
                .range("minutes", 5, 30, 5)
                .titles("{topic} for {pet}: what every owner should know",
                        "A practical guide to {topic} for {pet}",
                        "{topic} tips for {pet}",
                        "How to handle {topic} with {pet}",
                        "Vet-approved advice on {topic} for {pet}")
                .leads("Paying attention to {topic} is one of the simplest ways to keep {pet} healthy, happy, and "
                                + "easy to live with.",
                        "Owners of {pet} often ask about {topic}, and the right answer depends on age, temperament, "
                                + "and routine.",
                        "This guide covers {topic} for {pet}, with advice from veterinarians and experienced owners.",
                        "When it comes to {topic}, {pet} have needs that differ from other pets, so a tailored "
                                + "routine pays off.")
                .sentences("Introduce any change gradually over {days} days so your pet can adjust without stress.",
                        "Reward calm behavior with {treat} and gentle praise, and keep sessions to about {minutes} "
                                + "minutes.",
                        "Book a check-up with your vet at least once a year, or twice a year for older animals.",
                        "Watch for warning signs such as {symptom}, and call your vet promptly if they last more "
                                + "than a day.",
                        "Fresh water should always be available, and bowls should be washed daily.",
                        "Routine helps, so feed, exercise, and groom at roughly the same times each day.",
                        "Choose {gear} that are sized for your animal and made from non-toxic materials.",
                        "Never punish fear, because it makes anxious animals more anxious and damages trust.",
                        "Pet insurance can soften the cost of unexpected treatment, which often runs to {cost} "
                                + "dollars or more.",
                        "Keep a simple log of weight, meals, and behavior, since small changes are easier to spot on "
                                + "paper.",
                        "Ask your vet to show you the technique once, then practice at home while your pet is "
                                + "relaxed.")
                .checked();
    }

    private static Category science() {
        return new Category("science")
                .words("subject", "black holes|astrophysics|radio telescopes",
                        "the northern lights|space physics|all-sky cameras",
                        "solar eclipses|astronomy|filtered solar telescopes",
                        "exoplanets|astronomy|space telescopes",
                        "neutron stars|astrophysics|X-ray observatories",
                        "the phases of the Moon|astronomy|backyard telescopes",
                        "meteor showers|planetary science|meteor cameras",
                        "dark matter|cosmology|galaxy surveys",
                        "the cosmic microwave background|cosmology|microwave satellites",
                        "ocean tides|oceanography|tide gauges",
                        "supernovae|astrophysics|wide-field sky surveys",
                        "gravitational waves|physics|laser interferometers",
                        "the rings of Saturn|planetary science|the Cassini spacecraft",
                        "comets|planetary science|space probes",
                        "the Milky Way|astronomy|star-mapping satellites",
                        "photosynthesis|plant biology|leaf gas-exchange sensors",
                        "plate tectonics|geology|GPS stations",
                        "volcanic eruptions|volcanology|gas spectrometers",
                        "earthquakes|seismology|seismometers",
                        "the water cycle|earth science|weather satellites",
                        "DNA replication|molecular biology|electron microscopes",
                        "quantum entanglement|quantum physics|single-photon detectors",
                        "radioactive decay|nuclear physics|Geiger counters",
                        "lightning|atmospheric physics|high-speed cameras",
                        "rainbows|optics|prisms and spectrometers",
                        "ocean currents|oceanography|autonomous drifting floats",
                        "the greenhouse effect|climate science|infrared satellites",
                        "antibiotic resistance|microbiology|genome sequencing",
                        "the speed of light|physics|precision lasers",
                        "solar flares|solar physics|space weather satellites",
                        "the Big Bang|cosmology|deep-field telescope images",
                        "dust storms on Mars|planetary science|Mars orbiters",
                        "coral bleaching|marine biology|underwater surveys",
                        "the immune system|immunology|flow cytometers",
                        "bird migration|ecology|lightweight GPS tags",
                        "ice ages|paleoclimatology|ice cores")
                .words("analogy", "a stretched rubber sheet", "ripples spreading on a pond",
                        "a spinning figure skater pulling in her arms", "a kettle coming to the boil",
                        "a crowded dance floor", "a lighthouse beam sweeping the sea", "a slow-motion traffic jam",
                        "a relay race where the baton is energy", "a library sorting returned books")
                .words("homeExperiment", "a pair of binoculars", "a free planetarium app", "a flashlight and a ball",
                        "a clear night away from city lights", "a simple glass prism", "a bowl of water and a ruler",
                        "a magnifying glass and a notebook", "a smartphone and a long-exposure app")
                .range("year", 1905, 2022, 1)
                .titles("{subject} explained in plain language",
                        "The science behind {subject}",
                        "What {subject.1} tells us about {subject}",
                        "Understanding {subject}: a beginner's explainer",
                        "How {subject.2} changed what we know about {subject}")
                .leads("To understand {subject}, it helps to start with a simple picture and add detail one step at "
                                + "a time.",
                        "The study of {subject} sits at the heart of {subject.1}, and our understanding has changed "
                                + "dramatically since {year}.",
                        "Researchers have puzzled over {subject} for generations, yet new data from {subject.2} "
                                + "continue to reveal surprises.",
                        "{subject} may seem remote from daily life, but the same principles of {subject.1} shape the "
                                + "world around us.")
                .sentences("A useful analogy is {analogy}, which is not perfect but close enough to build intuition.",
                        "Much of what we know comes from {subject.2}, which let researchers measure what the eye "
                                + "cannot see.",
                        "The key idea is energy: where it comes from, how it moves, and where it ends up.",
                        "Early explanations of {subject} were partly right but missed crucial details.",
                        "In {year2}, a landmark measurement gave researchers much firmer numbers to work with.",
                        "The numbers involved can be staggering, which is why scientists lean on models and careful "
                                + "statistics.",
                        "Popular accounts often oversimplify {subject}, so it is worth checking claims against "
                                + "reputable sources.",
                        "You can explore the basics at home with {homeExperiment}, no laboratory required.",
                        "Open questions remain, and the next generation of instruments may answer some of them within "
                                + "a decade.",
                        "For students, learning about {subject} is a great way to see how {subject.1} connects to "
                                + "everyday life.",
                        "Computer simulations now let researchers test ideas that would be impossible to recreate in "
                                + "a laboratory.")
                .checked();
    }
}
