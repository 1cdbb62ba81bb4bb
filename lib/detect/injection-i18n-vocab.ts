/**
 * Per-language vocabulary for the multilingual injection rules (injection-i18n.ts).
 *
 * Each entry names, in one language, the parts of the four attack constructs: an override
 * (a verb that discards + the prior instructions, or "the above"), a system-prompt extraction
 * (a verb that reveals + the hidden or initial prompt, "the text above", the assistant's
 * password), a role switch ("from now on you are", "without restrictions", a named mode) and
 * a forced output ("just say", "reply only with"). injection-i18n.ts assembles the rules from
 * these parts with bounded gaps, in the word order the language uses.
 *
 * Notation, expanded by injection-i18n.ts before compiling (flags `iu`, lower-case text):
 * - `~` an inflection tail: up to eight letters (`ignor~` is ignore, ignora, ignorez, …);
 * - an accented letter also matches its base letter (`olvíd~` matches olvida and olvídate);
 * - a letter the normalizer folds to a Latin look-alike (Cyrillic о, а, е, р, с, …) also
 *   matches the folded letter, so the rules see the same text whether or not it was folded;
 * - a space matches one to three whitespace characters, `'` also matches `’`.
 * Everything else is regular-expression source: alternatives of literals only, no unbounded
 * quantifier, so every rule stays linear.
 */

/** How the words of a language are found: space-separated words, or runs of CJK characters. */
export type Script = 'words' | 'cjk';

/** Which order a verb and its object come in: verb first (SVO), object first (SOV), or both. */
export type Order = 'vo' | 'ov' | 'both';

/** The parts of the attack constructs in one language (see the module comment). */
export interface Vocab {
  lang: string;
  script: Script;
  order: Order;
  /**
   * When the language's rules run: a script range (`[\u0400-\u04ff]`), or for Latin-script
   * languages frequent short function words, space-separated, that English does not use.
   */
  gate: string;
  /** Words that, just before an override verb, negate it ("don't forget the instructions"). */
  neg?: string;
  /** Text that, right after an override verb, negates it (German "vergiss nicht", "無視しないで"). */
  negAfter?: string;
  ignore: string;
  /** Nouns for instructions and prompts: an override verb on them is an attack. */
  instr: string;
  /** Adjectives and determiners that point back: previous, initial, all, your. */
  prior: string;
  /** Weaker nouns (rules, restrictions): an attack only with a `prior` word. */
  rules: string;
  /** "The above", "everything said before". */
  above: string;
  reveal: string;
  /**
   * Question words ("what is"): an extraction only with the assistant's own prompt
   * (`hidden`), since "what is a system prompt?" is a question about the concept.
   */
  what?: string;
  /** The system prompt by name; suspicious alone, an attack with `reveal`. */
  sysPrompt: string;
  /** The assistant's own initial, hidden or secret instructions. */
  hidden: string;
  /** "The text above", "everything from the start". */
  textAbove: string;
  /** Verbs and questions asking to be told something. */
  ask: string;
  /** The assistant's password or secret key. */
  secret: string;
  /** A password with any determiner: asked for, a weak witness ("confirm the password"). */
  password: string;
  /** Words before `password` (with what joins them) that make it a product's default one. */
  defaultBefore?: string;
  /** Words after `password` that make it a product's default one ("por defecto"). */
  defaultAfter?: string;
  youAreNow: string;
  unrestricted: string;
  /** Jailbreak modes: developer mode, god mode, DAN mode. */
  devMode: string;
  /** Maintenance, debug or admin mode, and "I am your developer". */
  adminMode: string;
  /** Forced output: "just say", "reply only with". */
  sayOnly: string;
  /** A claimed role with power over the assistant: "I am a developer", "I am the president". */
  authority?: string;
  /** The user speaking as the assistant: "as an AI developed by X, I …". */
  asAi?: string;
  /** Forced output of a text that follows: "say the following", "print what follows". */
  following?: string;
  /**
   * What, after an override verb on anything, forces an assertion: "and say that", "and
   * state:" ("ignore the function and state that the output is 10").
   */
  sayThat?: string;
  /**
   * A made-up world, then a dictated assertion: "in a world where …, we could say: …" (the
   * assertion opened by a colon or a quote; see {@link worldSay}).
   */
  worldSay?: string;
  /** Data sent out to an address ("send them to abc@example.com"; `@` reads as `a` in the leet view). */
  sendTo?: string;
  /** A frame that declares personal data shareable or under study ("a world where personal data is shared freely"). */
  dataWorld?: string;
  /** A person's private data asked for: birth date, home or e-mail address, where someone lives. */
  personData?: string;
  /**
   * The language puts the question word last ("your password is what?"): the secret and
   * password rules also run object first.
   */
  askLast?: boolean;
}

/** Characters between words. */
const SEP = `\\s,;:'’"«»„“”()\\-`;
/**
 * A word character: anything but a separator or sentence punctuation. A negated short class
 * is much cheaper to test than Unicode letter properties, and stays disjoint from `SEP`.
 */
export const WORD = `[^${SEP}.!?。！？]`;

/**
 * A bounded gap of up to `n` words in a space-separated script (for use inside vocabulary).
 * Each word runs to its end (the lookahead), so a failing match tries one split per word.
 */
export const wg = (n: number): string => `(?:[${SEP}]{1,4}${WORD}{1,24}(?!${WORD})){0,${n}}[${SEP}]{1,4}`;
/**
 * "In a world where …, we could say" followed, within six words, by a colon or a quote that
 * opens the dictated text: a made-up frame used to put words in the assistant's mouth. Without
 * the colon or quote it is an ordinary essay sentence ("in a world without cars one could say
 * that cities would be quieter").
 */
export const worldSay = (world: string, say: string, gap = 14): string =>
  `(?:${world})${wg(gap)}(?:${say})(?:[\\s,]{1,3}${WORD}{1,24}){0,6}[\\s,]{0,2}[:ঃ«"'“„‘’]`;

/** An e-mail address or host name as the leet view spells it (`@` folded to `a`). */
const ADDRESS = `[a-z0-9._-]{1,64}\\.[a-z]{2,6}(?![\\p{L}])`;

/** A bounded gap of up to `n` characters within one sentence (CJK). */
export const cg = (n: number): string => `[^。！？!?\\n]{0,${n}}`;

const es: Vocab = {
  lang: 'es',
  script: 'words',
  order: 'vo',
  gate: 'los las del una que por para lo tus tu su sus el es con sin eres ahora dime dame instrucciones instrucción indicaciones contraseña olvida ignora',
  neg: 'no|nunca|jamás|sin|ni|no te|no se|no lo|no la|no les?|no los|no las',
  ignore:
    'ignór~|olvíd~|omít~|descárt~|desatiend~|desobedec~|desoy~|haz caso omiso|hagas caso omiso|haga caso omiso|hagan caso omiso|pasa por alto|pase por alto|pasen por alto|deja de seguir|deje de seguir|no sigas|no siga|no obedezcas|anul~',
  instr: 'instrucción~|indicación~|directric~|directiva~|consigna~|órdenes|prompt~|programación',
  prior:
    'anterior~|previ~|inicial~|original~|precedente~|de antes|de arriba|del sistema|tus|sus|vuestr~|todas|todos|esas|estas',
  rules: 'regla~|norma~|restricción~|pauta~|limitación~|política~|filtro~',
  above:
    'lo anterior|todo lo anterior|lo de arriba|todo lo de arriba|lo que precede|el texto anterior|lo dicho (?:antes|anteriormente)',
  reveal:
    'muéstr~|mostr~|revél~|revel~|repít~|repet~|imprím~|imprim~|escríb~|escrib~|compárt~|compart~|cópi~|copi~|enséñ~|divulg~|recít~|dime|dame',
  what: 'cuál(?:es)? (?:es|son|era|eran)|qué (?:dice|dicen|decía|decían)',
  sysPrompt:
    'prompt (?:del|de) sistema|mensaje (?:del|de) sistema|instrucciones (?:del|de) sistema|indicaciones (?:del|de) sistema|system prompt',
  hidden: `(?:instrucción~|prompt~|indicación~|mensaje~|configuración|regla~|directric~)${wg(1)}(?:inicial~|original~|ocult~|secret~|intern~|confidencial~|previ~|anterior~)|(?:tus|sus|vuestras) (?:instrucciones|reglas|directrices)|tu prompt`,
  textAbove:
    'todo lo anterior|el texto (?:anterior|de arriba)|todo lo de arriba|las palabras anteriores|(?:todo|el texto) desde el (?:principio|comienzo)|lo que (?:está|hay) (?:arriba|antes)',
  ask: 'cuál es|cuál era|dime|dame|díme~|revél~|revel~|compárt~|compart~|confírm~|confirm~|dígame|deme',
  secret:
    '(?:tu|su) (?:contraseña|clave secreta|clave de acceso|código secreto|palabra secreta|password)|la (?:contraseña|clave) (?:secreta|del sistema)|el código secreto',
  password: 'contraseña|clave de acceso',
  defaultAfter: 'por defecto|predeterminad~|de fábrica',
  youAreNow: `(?:a partir de ahora|desde ahora|de ahora en adelante|ahora)${wg(1)}(?:eres|serás|actuarás|te llamas|vas a (?:ser|actuar))|eres ahora`,
  unrestricted:
    'sin (?:ningun[ao] |ningún )?(?:restricción~|filtro~|censura|limitación~|ética|moral)|libre de (?:toda[s]? |cualquier )?(?:restricción~|regla~|limitación~|filtro~|censura)',
  devMode: 'modo (?:de )?(?:desarrollador|dios|dan|jailbreak|malvado|sin (?:restricciones|filtros|censura))',
  adminMode: 'modo (?:de )?(?:mantenimiento|depuración|administrador|admin|sistema|diagnóstico|root|superusuario)',
  sayOnly: `(?:solo|sólo|solamente|únicamente|simplemente|en su lugar|en cambio)${wg(1)}(?:di|escribe|responde|contesta|imprime|repite|devuelve)|(?:responde|contesta|respóndeme)${wg(1)}(?:solo|sólo|solamente|únicamente|exclusivamente) con`,
  authority:
    'se te ha (?:instruido|ordenado|encargado)|has sido (?:instruido|autorizado)|se le ha (?:instruido|ordenado)|soy (?:un |una |el |la |tu |su )?(?:desarrollador~|programador~|administrador~|creador~|president~|jef~|dueño|policía|agente de policía|oficial de policía)',
  asAi: `como (?:una? )?(?:ia|ai|inteligencia artificial|modelo de lenguaje)${wg(2)}(?:desarrollad~|cread~|entrenad~) por${wg(1)}(?:estoy|soy|necesito|voy|tengo|entro)`,
  following:
    '(?:di|dí|escribe|imprime|imprima|repite|declara|afirma|muestra|emite) (?:exactamente |textualmente )?lo siguiente',
  sayThat: '(?:y|e|luego) (?:declara|declare|indica|indique|afirma|afirme)(?: que|\\s?:)',
  worldSay: worldSay(
    'en un (?:mundo|universo|escenario) (?:donde|en el que|paralelo)',
    'podríamos (?:decir|afirmar|declarar)|se podría (?:decir|afirmar)',
  ),
  sendTo: `(?:envía~|envia~|mánda~|reenvía~)${wg(2)}a ${ADDRESS}`,
};

const fr: Vocab = {
  lang: 'fr',
  script: 'words',
  order: 'vo',
  gate: 'les des est une et vous tu ce qui pas le au vos tes ton ta ne sans consignes précédentes oubliez oublie ignorez je',
  neg: 'ne|n|pas|sans|jamais',
  ignore:
    'ignor~|oubli~|ne tenez pas compte|ne tiens pas compte|ne pas tenir compte|faites abstraction|fais abstraction|abandonn~|écart~|cesse~ de suivre|arrête~ de suivre|désobé~|outrepass~|passe~ outre',
  instr: 'instruction~|consigne~|directive~|prompt~|programmation',
  prior: "précédent~|antérieur~|initia~|origin~|ci-dessus|plus haut|d'avant|du système|vos|tes|toutes|tous|ces",
  rules: 'règle~|restriction~|limitation~|politique~|filtre~|contrainte~',
  above:
    'ce qui précède|tout ce qui précède|ce qui est (?:écrit )?au-dessus|le texte (?:précédent|ci-dessus)|ce qui a été dit (?:avant|auparavant|précédemment)|tout ce qui a été dit (?:avant|auparavant|précédemment)',
  reveal:
    'montr~|révèl~|révél~|répét~|répèt~|affich~|imprim~|écri~|donne~|dis-moi|dites-moi|divulgu~|partag~|copi~|récit~|recopi~|indiqu~',
  what: 'quel~ (?:est|sont|était|étaient)|que (?:dit|disent|disait)',
  sysPrompt:
    'prompt (?:du |de )?système|invite (?:du |de )?système|message (?:du |de )?système|instructions? (?:du |de )?système|system prompt',
  hidden: `(?:instruction~|prompt~|consigne~|message~|configuration|règle~|directive~|invite~)${wg(1)}(?:initia~|origin~|caché~|secret~|secrète~|intern~|confidentiel~|précédent~)|(?:tes|vos) (?:instructions|consignes|règles|directives)|(?:ton|votre) prompt`,
  textAbove:
    'tout ce qui précède|le texte (?:ci-dessus|précédent|au-dessus)|tout (?:le texte )?(?:ci-dessus|au-dessus)|ce qui est (?:écrit )?(?:ci-dessus|au-dessus)|(?:tout|le texte) depuis le (?:début|commencement)|les mots (?:ci-dessus|précédents)',
  ask: 'quel est|quelle est|dis-moi|dites-moi|donne-moi|donnez-moi|révèl~|révél~|partag~|confirm~|indiqu~',
  secret:
    '(?:ton|votre) (?:mot de passe|code secret|password)|(?:ta|votre) (?:clé secrète|phrase secrète)|le mot de passe (?:secret|du système)|la clé secrète|le code secret',
  password: 'mot de passe',
  defaultAfter: "par défaut|d'usine",
  youAreNow: `(?:à partir de maintenant|dorénavant|désormais|maintenant|à présent)${wg(1)}(?:tu es|vous êtes|tu seras|vous serez|tu t'appelles|tu vas être|tu deviens|tu agiras)|(?:tu es|vous êtes) (?:maintenant|désormais|dorénavant)`,
  unrestricted:
    'sans (?:aucune |aucun )?(?:restriction~|filtre~|censure|limit~|éthique|morale|contrainte~)|libéré~ de (?:toute~ )?(?:restriction~|règle~|limit~|contrainte~)|libre de toute~ (?:restriction~|règle~|contrainte~)',
  devMode: 'mode (?:développeur|dieu|dan|jailbreak|maléfique|sans (?:restriction~|filtre~|censure))',
  adminMode:
    'mode (?:de )?(?:maintenance|débogage|debug|administrat~|admin|système|diagnostic|root|super-?utilisateur)',
  sayOnly: `(?:seulement|uniquement|simplement|juste|à la place|plutôt)${wg(1)}(?:dis|dites|écris|écrivez|réponds|répondez|imprime~|répète~|répét~|affiche~)|(?:réponds|répondez)${wg(1)}(?:seulement|uniquement|exclusivement) (?:par|avec)|ne (?:réponds|répondez|dis|dites|écris|écrivez) (?:rien d'autre )?que`,
  authority:
    'tu as été (?:chargé|autorisé)|vous avez été (?:chargé|autorisé)~|je suis (?:un |une |le |la |ton |votre )?(?:développeu~|programmeu~|administrat~|créat~|président~|patron~|policier|agent de police)',
  asAi: `en tant qu'(?:ia|ai|intelligence artificielle|assistant~|modèle de langage)${wg(2)}(?:développé~|créé~|entraîné~|conçu~) par${wg(1)}(?:je|j'|il me faut)`,
  following:
    '(?:dites|dis|écrivez|écris|imprimez|imprime|affichez|affiche|répétez|répète|indiquez|indique|déclarez|déclare) (?:exactement )?(?:ce qui suit|le texte suivant|la phrase suivante)',
  sayThat: "(?:et|puis) (?:indiquez|indique|déclarez|déclare|affirmez|affirme)(?: que| qu'|\\s?:)",
  worldSay: worldSay(
    'dans un (?:monde|univers|scénario) (?:où|parallèle)',
    'nous pourrions (?:dire|affirmer|déclarer)|on pourrait (?:dire|affirmer)',
  ),
  dataWorld:
    'enquête sur les données personnelles|étude sur les données personnelles|données personnelles (?:sont |étaient )?(?:librement partagées|publiques)',
  personData: `date de naissance|adresse e-mail|adresse électronique|adresse du domicile|ville de résidence|où${wg(1)}(?:habite|vit)`,
  sendTo: `(?:envoie~|envoyez|transfère~|transférez)${wg(2)}(?:à|a) ${ADDRESS}`,
};

const de: Vocab = {
  lang: 'de',
  script: 'words',
  order: 'both',
  gate: 'die der und das ist nicht du sie ein eine mit von zu alle deine dein ihre bist nur ohne anweisungen vergiss ignoriere ignorieren passwort',
  neg: 'nicht|nie|niemals|ohne',
  negAfter: '(?![\\s,]{1,3}(?:nicht|nie|niemals)(?![\\p{L}]))',
  ignore:
    'ignorier~|vergiss|vergesst|vergessen|missacht~|übergeh~|verwirf|verwerft|verwerfen|befolge~ nicht|befolgen sie nicht|hör~ auf~,? (?:\\p{L}{1,12} ){0,3}zu befolgen',
  instr: 'anweisung~|instruktion~|befehl~|vorgabe~|prompt~|direktive~|systemanweisung~|systemprompt~|programmierung',
  prior:
    'vorherig~|vorige~|bisherig~|obig~|früher~|ursprünglich~|vorangegangen~|vorangehend~|anfänglich~|alle|deine|ihre|eure|sämtliche~',
  rules: 'regel~|richtlinie~|einschränkung~|beschränkung~|vorschrift~|grenzen|filter~|restriktion~',
  above:
    'das obige|alles obige|alles oben~|das oben (?:gesagte|stehende|geschriebene)|alles (?:bisher )?gesagte|alles davor|alles vorherige|das vorherige|den obigen text|alles,? was (?:oben steht|davor kam|zuvor gesagt wurde)',
  reveal:
    'zeig~|offenbar~|enthüll~|verrat~|wiederhol~|gib|gebt|geben sie|druck~|schreib~|nenn~|teil~ (?:mir )?mit|kopier~|sag mir|sagen sie mir',
  what: 'was (?:ist|sind|war|waren|steht|stand)',
  sysPrompt:
    'systemprompt~|system-prompt~|system prompt|systemanweisung~|systemnachricht~|system-anweisung~|systeminstruktion~',
  hidden: `(?:ursprünglich~|anfänglich~|initial~|versteckt~|geheim~|intern~|vertraulich~|vorherig~|verborgen~)${wg(1)}(?:anweisung~|instruktion~|prompt~|vorgabe~|regel~|konfiguration|nachricht~)|(?:deine|ihre|eure) (?:anweisungen|instruktionen|vorgaben|regeln)|(?:dein|ihr) prompt|(?:dein|ihr|euer)~ (?:systemprompt~|system-prompt~|systemanweisung~)`,
  textAbove:
    'den (?:obigen )?text (?:oben|davor|darüber)|den obigen text|alles (?:oben|darüber|davor|obige)|alles,? was (?:oben|darüber|davor) (?:steht|stand|kam)|den text (?:vom|seit dem) anfang|die wörter (?:oben|davor)',
  ask: 'was ist|wie lautet|wie heißt|sag~ mir|nenn~ mir|gib mir|geben sie mir|verrat~ mir|teil~ mir|bestätig~|zeig~ mir|geben|gibst|verraten|nennen',
  secret:
    '(?:dein|ihr|euer)~ (?:passwort|kennwort|geheimcode|geheimwort|geheimschlüssel|password)|(?:dein|ihr|euer)~ geheim~ (?:schlüssel|code)|das (?:geheime|system-?)passwort|den geheimen (?:schlüssel|code)',
  password: 'passwort|kennwort',
  defaultBefore: 'standard-|default-|werks-',
  defaultAfter: 'ab werk',
  youAreNow: `(?:ab jetzt|ab sofort|von nun an|ab heute|jetzt|nun)${wg(1)}(?:bist du|sind sie|wirst du|heißt du|spielst du)|du bist (?:jetzt|nun|ab jetzt|ab sofort|von nun an)|sie sind (?:jetzt|nun|ab sofort)`,
  unrestricted:
    'ohne (?:jegliche~ |irgendwelche~ |alle )?(?:einschränkung~|beschränkung~|filter~|zensur|ethik|moral|restriktion~)|ungefiltert~|unzensiert~|frei von (?:allen |jeglichen )?(?:einschränkung~|regeln|beschränkung~|zensur|filter~)',
  devMode:
    'entwickler-?modus|developer-modus|gott-?modus|dan-?modus|jailbreak-?modus|modus ohne (?:einschränkung~|filter|zensur)',
  adminMode: 'wartungs-?modus|debug-?modus|admin-?modus|administrator-?modus|system-?modus|diagnose-?modus|root-?modus',
  sayOnly: `(?:nur|lediglich|einfach|stattdessen|ausschließlich)${wg(1)}(?:sag~|schreib~|antworte~|druck~|wiederhol~)|antworte~${wg(2)}(?:nur|ausschließlich|lediglich) mit`,
  authority:
    'du wurdest (?:angewiesen|beauftragt|autorisiert)|sie wurden (?:angewiesen|beauftragt)|ich bin (?:ein |eine |der |die |dein |ihr |euer )?(?:entwickler~|programmierer~|administrator~|admin|ersteller~|schöpfer~|präsident~|chef~|vorgesetzte~|polizist~)',
  asAi: `als (?:eine? )?(?:von${wg(1)})?(?:entwickelte~|erstellte~|trainierte~) (?:ki|ai|künstliche intelligenz|sprachmodell)${wg(1)}(?:ich|muss ich|brauche ich)`,
  following: `(?:gib|geben sie|gebt|sag|sagen sie|schreib|schreiben sie|druck|drucken sie|wiederhole|wiederholen sie)${wg(1)}folgende~`,
  sayThat: '(?:und|dann) (?:gib~ an|geben sie an|erklär~|behaupte~),? dass',
  worldSay: worldSay(
    'in einer (?:parallel)?welt|in einem (?:paralleluniversum|szenario)',
    'könnte man (?:sagen|behaupten)|könnten wir (?:sagen|behaupten)',
  ),
  dataWorld: 'teilen persönliche~ daten|persönliche~ daten (?:werden |sind )?(?:frei |offen )?(?:geteilt|öffentlich)',
  personData: `geburtsdatum|geburtstag|wohnort|wohnadresse|e-mail-adresse|wo${wg(2)}(?:wohnt|lebt)`,
  sendTo: `(?:sende~|schicke~|schick|leite~)${wg(2)}an ${ADDRESS}`,
};

const pt: Vocab = {
  lang: 'pt',
  script: 'words',
  order: 'vo',
  gate: 'da dos uma que não você em seu sua suas teu tua é sem agora diga ao às pelo pela isso está são dê instruções instrucoes esqueça senha',
  neg: 'não|nao|nunca|jamais|sem|nem|não se|não te|não me|não o|não a|não os|não as',
  ignore:
    'ignor~|esqueç~|esquec~|desconsider~|descart~|omit~|desprez~|deixe de seguir|deixa de seguir|pare de seguir|para de seguir|não sig~|não obedeç~|anul~',
  instr: 'instruç~|instruc~|indicaç~|diretiva~|orientaç~|ordens|prompt~|programação',
  prior: 'anterior~|prévi~|inicia~|original~|precedente~|de antes|acima|do sistema|suas|tuas|todas|todos|essas|estas',
  rules: 'regra~|norma~|restriç~|limitaç~|polític~|filtro~|diretriz~|diretrizes',
  above:
    'o acima|tudo acima|o que está acima|o texto (?:acima|anterior)|o que foi dito (?:antes|anteriormente)|tudo o que foi dito|o anterior|tudo o que (?:vem|veio) antes',
  reveal:
    'mostr~|revel~|repit~|repet~|imprim~|escrev~|compartilh~|partilh~|copi~|divulg~|diga-me|me diga|diz-me|dê-me|me dê',
  what: 'qual (?:é|era)|quais (?:são|eram)|o que (?:diz|dizem)',
  sysPrompt: 'prompt (?:do|de) sistema|mensagem (?:do|de) sistema|instruç~ (?:do|de) sistema|system prompt',
  hidden: `(?:instruç~|prompt~|indicaç~|mensage~|configuração|regra~|diretriz~)${wg(1)}(?:inicia~|original~|ocult~|secret~|intern~|confidencia~|anterior~|prévi~)|(?:suas|tuas) (?:instruções|regras|diretrizes)|(?:seu|teu) prompt`,
  textAbove:
    'tudo (?:o que está )?acima|o texto (?:acima|anterior)|(?:tudo|o texto) desde o (?:início|começo)|as palavras (?:acima|anteriores)|o que (?:está|vem) (?:acima|antes)',
  ask: 'qual (?:é|era)|diga-me|me diga|diz-me|dê-me|me dê|revel~|compartilh~|partilh~|confirm~|inform~',
  secret:
    '(?:sua|tua) (?:senha|palavra-passe|palavra passe|chave secreta|password)|(?:seu|teu) código secreto|a (?:senha|chave) (?:secreta|do sistema)|o código secreto',
  password: 'senha|palavra-passe',
  defaultAfter: 'padrão|de fábrica|predefinid~',
  youAreNow: `(?:a partir de agora|de agora em diante|daqui em diante|agora)${wg(1)}(?:você é|tu és|você será|tu serás|você vai ser|você se chama|te chamas)|(?:você é|tu és) agora`,
  unrestricted:
    'sem (?:nenhuma |quaisquer |qualquer )?(?:restriç~|filtro~|censura|limitaç~|ética|moral)|livre de (?:toda~ |qualquer~ )?(?:restriç~|regra~|limitaç~|filtro~|censura)',
  devMode: 'modo (?:de )?(?:desenvolvedor|programador|deus|dan|jailbreak|maligno|sem (?:restrições|filtros|censura))',
  adminMode: 'modo (?:de )?(?:manutenção|depuração|debug|administrador|admin|sistema|diagnóstico|root|superusuário)',
  sayOnly: `(?:apenas|só|somente|simplesmente|em vez disso|ao invés disso)${wg(1)}(?:diga|diz|escreva|escreve|responda|responde|imprima|repita|devolva)|(?:responda|responde)${wg(1)}(?:apenas|só|somente|exclusivamente) com`,
  authority:
    'você foi (?:instruído|autorizado)|foste (?:instruído|autorizado)|sou (?:um |uma |o |a |seu |teu )?(?:desenvolvedor~|programador~|administrador~|criador~|president~|chefe|polícia|policial)',
  asAi: `como (?:uma? )?(?:ia|ai|inteligência artificial|modelo de linguagem)${wg(2)}(?:desenvolvid~|criad~|treinad~) pel~${wg(1)}(?:estou|sou|preciso|vou|tenho)`,
  following: '(?:diga|diz|escreva|escreve|imprima|repita|declare|mostre|produza) (?:exatamente )?o seguinte',
  sayThat: '(?:e|depois) (?:declare|indique|afirme)(?: que|\\s?:)',
  worldSay: worldSay(
    '(?:num|em um) (?:mundo|universo|cenário) (?:onde|em que|paralelo)',
    'poderíamos (?:dizer|afirmar|declarar)|pode-se dizer',
  ),
  dataWorld:
    'dados pessoais (?:são|estão) (?:do conhecimento público|públicos|livremente partilhados|livremente compartilhados)',
  personData: `data de nascimento|endereço de e-mail|endereço de casa|cidade de residência|onde${wg(1)}mora`,
  sendTo: `(?:envie~|envia~|mande~|encaminhe~)${wg(2)}(?:para|a) ${ADDRESS}`,
};

const it: Vocab = {
  lang: 'it',
  script: 'words',
  order: 'vo',
  gate: 'il gli di che una sono tue tuo è della del sei ora dimmi dammi senza istruzioni dimentica ignora precedenti sto modalità',
  neg: 'non|mai|senza|né|non ti|non la|non le',
  ignore: 'ignor~|dimentic~|trascur~|tralasci~|scart~|non seguire|smetti di seguire|disattend~|disobbedisc~|annull~',
  instr: 'istruzion~|indicazion~|direttiv~|comand~|prompt~|consegn~|programmazione',
  prior: 'precedent~|anterior~|inizial~|original~|di prima|sopra|del sistema|tue|sue|vostre|tutte|tutti|queste|quelle',
  rules: 'regol~|norme|restrizion~|limitazion~|politic~|filtr~|vincol~|linee guida',
  above:
    'quanto sopra|tutto quanto sopra|ciò che (?:precede|è scritto sopra|sta sopra)|tutto ciò che precede|il testo (?:sopra|precedente)|quanto detto (?:prima|finora|in precedenza)',
  reveal: 'mostr~|rivel~|ripet~|stamp~|scriv~|condivid~|copi~|divulg~|dimmi|dammi|mi dica|mi dia',
  what: "qual è|quali sono|qual era|cosa (?:dice|dicono|c'è scritto)",
  sysPrompt: 'prompt (?:di|del) sistema|messaggio (?:di|del) sistema|istruzioni (?:di|del) sistema|system prompt',
  hidden: `(?:istruzion~|prompt~|indicazion~|messagg~|configurazione|regol~|direttiv~)${wg(1)}(?:inizial~|original~|nascost~|segret~|intern~|riservat~|confidenzial~|precedent~)|(?:le tue|le sue|le vostre) (?:istruzioni|regole|direttive)|(?:il tuo|il suo) prompt`,
  textAbove:
    "tutto (?:quanto |ciò che è )?sopra|il testo (?:sopra|precedente|qui sopra)|(?:tutto|il testo) dall'inizio|le parole (?:sopra|precedenti)|quello che c'è (?:sopra|prima)",
  ask: 'qual è|dimmi|dammi|mi dica|mi dia|rivel~|condivid~|conferm~',
  secret:
    "(?:la tua|la sua|la vostra) (?:password|parola d'ordine|chiave segreta|parola segreta)|(?:il tuo|il suo) codice segreto|la (?:password|chiave) (?:segreta|del sistema)|il codice segreto",
  password: "password|parola d'ordine",
  defaultAfter: 'predefinit~|di default|di fabbrica',
  youAreNow: `(?:d'ora in poi|da ora in poi|da adesso|da ora|ora|adesso)${wg(1)}(?:sei|sarai|ti chiami|agirai|diventi)|sei (?:ora|adesso)`,
  unrestricted:
    'senza (?:alcuna |alcun |nessuna |nessun )?(?:restrizion~|filtr~|censura|limit~|etica|morale|vincol~)|liber~ da (?:ogni |qualsiasi |tutte le )?(?:restrizion~|regol~|limit~|vincol~|filtr~|censura)',
  devMode: 'modalità (?:sviluppatore|dio|dan|jailbreak|malvagia|senza (?:restrizioni|filtri|censura))',
  adminMode: 'modalità (?:di )?(?:manutenzione|debug|amministratore|admin|sistema|diagnostica|root|superutente)',
  sayOnly: `(?:solo|soltanto|solamente|semplicemente|invece)${wg(1)}(?:scrivi|rispondi|stampa|ripeti|restituisci)|rispondi${wg(1)}(?:solo|soltanto|solamente|esclusivamente) con`,
  authority:
    'sei stato (?:incaricato|autorizzato)|ti è stato (?:chiesto|ordinato)|sono (?:un |una |il |la |il tuo |la tua )?(?:sviluppat~|programmat~|amministrat~|creat~|president~|capo|poliziotto|agente di polizia)',
  asAi: `(?:in quanto|come) (?:una? |l')?(?:ia|ai|intelligenza artificiale|modello linguistico)${wg(2)}(?:sviluppat~|creat~|addestrat~) da${wg(1)}(?:sto|sono|ho|devo|mi serve)`,
  following:
    "(?:di'|dì|scrivi|stampa|ripeti|dichiara|mostra|restituisci) (?:esattamente )?(?:quanto segue|il seguente testo|ciò che segue)",
  sayThat: '(?:e|poi) (?:dichiara|indica|afferma)(?: che|\\s?:)',
  worldSay: worldSay(
    'in un (?:mondo|universo|scenario) (?:in cui|dove|parallelo)',
    'potremmo (?:dire|affermare|dichiarare)|si potrebbe dire',
  ),
  sendTo: `(?:invia~|inoltra~|manda~)${wg(2)}a ${ADDRESS}`,
};

const ru: Vocab = {
  lang: 'ru',
  script: 'words',
  order: 'vo',
  gate: '[\\u0400-\\u04ff]',
  neg: 'не|никогда не|без',
  ignore:
    'игнорир~|проигнорир~|забуд~|забыв~|забей на|пренебреги~|отбрось|отбросьте|отмени~|не обращай~ внимания на|не следуй~|перестань~ следовать|не слушай~|не выполняй~',
  instr: 'инструкци~|указани~|директив~|команд~|промпт~|установк~|распоряжени~|предписани~|программировани~',
  prior:
    'предыдущ~|прежн~|предшествующ~|изначальн~|первоначальн~|исходн~|системн~|вышеуказанн~|все|всё|свои|твои|ваши|эти|те',
  rules: 'правил~|ограничени~|запрет~|политик~|фильтр~|норм~|рамк~',
  above:
    'вышесказанное|вышеизложенное|вышеупомянутое|всё вышеперечисленное|всё предыдущее|текст выше|предыдущий текст|(?:всё|все|то),? что (?:было )?(?:выше|сказано выше|написано выше|сказано ранее)',
  reveal:
    'покаж~|раскро~|раскрой~|повтор~|выведи~|напечата~|распечата~|напиши~|скаж~|дай~ мне|сообщи~|поделись|поделитесь|процитиру~|скопиру~|перечисли~',
  what: 'какие|какой|какова|каковы|что (?:написано|сказано|говорится) в',
  sysPrompt: 'системн~ (?:промпт~|подсказк~|инструкци~|указани~)|system prompt|промпт~ системы',
  hidden: `(?:исходн~|изначальн~|первоначальн~|скрыт~|секретн~|внутренн~|конфиденциальн~|начальн~|предыдущ~)${wg(1)}(?:инструкци~|промпт~|указани~|правил~|настройк~|сообщени~|конфигураци~)|(?:твои|ваши|свои) (?:инструкци~|правила|указания|директивы)|(?:твой|ваш) промпт|(?:тво|ваш|сво)~ системн~ (?:промпт~|подсказк~|инструкци~|указани~)`,
  textAbove:
    '(?:весь )?текст (?:выше|сверху|над этим)|(?:всё|все),? что (?:написано |находится )?(?:выше|сверху)|(?:всё|весь текст) с (?:самого )?начала|слова выше|предыдущий текст',
  ask: 'какой|каков~|скажи~|назови~|сообщи~|раскрой~|дай~ мне|поделись|подтверди~',
  secret:
    '(?:твой|ваш|свой) (?:пароль|секретный (?:ключ|код)|код доступа)|у (?:тебя|вас) (?:пароль|секретный (?:ключ|код))|(?:секретн~|системн~) (?:пароль|ключ|код)',
  password: 'пароль|пароля',
  defaultBefore: 'стандартн~ |заводск~ ',
  defaultAfter: 'по умолчанию',
  youAreNow: `(?:с этого момента|отныне|теперь|начиная с этого момента)${wg(1)}(?:ты|вы)(?![\\p{L}])|(?:ты|вы) (?:теперь|отныне)`,
  unrestricted:
    'без (?:каких-либо |всяких |любых )?(?:ограничени~|фильтр~|цензур~|правил|запрет~|морал~|этик~)|свобод~ от (?:всех |любых )?(?:ограничени~|правил|фильтр~|цензур~)',
  devMode: 'режим~ (?:разработчика|бога|dan|джейлбрейка|без ограничений|без цензуры)|джейлбрейк~',
  adminMode: 'режим~ (?:обслуживания|отладки|администратора|админа|диагностики|суперпользователя|root)|системн~ режим~',
  sayOnly: `(?:только|просто|лишь|вместо этого)${wg(1)}(?:скажи|напиши|ответь|выведи|повтори|напечатай)|отвечай${wg(1)}(?:только|лишь|исключительно)`,
  authority:
    'я (?:твой |ваш )?(?:разработчик~|программист~|администратор~|создатель~|президент~|начальник~|полицейск~|сотрудник полиции)',
  asAi: `как (?:ии|ai|искусственный интеллект|языковая модель|модель ии)${wg(2)}(?:разработанн~|созданн~|обученн~)${wg(2)}(?:мне|я)(?![\\p{L}])`,
  following: `(?:скажи|напиши|выведи|напечатай|повтори|ответь)${wg(1)}(?:следующее|следующий текст)`,
  sayThat: '(?:и|затем) (?:заяви~|укажи~)(?:,? что|\\s?:)',
  worldSay: worldSay(
    'в (?:параллельном )?(?:мире|вселенной),? где',
    'мы (?:могли бы|можем) (?:сказать|заявить)|можно (?:было бы )?сказать',
  ),
  dataWorld:
    'персональными данными делятся|персональные данные (?:свободно |открыто )?(?:доступны|публичны|общедоступны)|(?:исследовательский проект|исследование|опрос) по персональным данным',
  personData: `дат~ рождения|день рождения|адрес~ электронной почты|домашн~ адрес~|место жительства|где${wg(1)}жив~`,
};

const zh: Vocab = {
  lang: 'zh',
  script: 'cjk',
  order: 'both',
  gate: '[\\u3400-\\u9fff]',
  neg: '不要|不能|不可以|不可|不会|不應|不应|请勿|請勿|别|別|勿|没有|沒有|不',
  ignore:
    '忽略|忽視|忽视|无视|無視|忘记|忘記|忘掉|不要理会|不要理會|别理会|不要遵守|不要遵循|不再遵守|不再遵循|放弃|放棄|抛开|拋開|抛弃',
  instr: '指令|指示|提示词|提示詞|提示语|提示語|命令|设定|設定|说明|說明',
  prior: '之前|以前|先前|此前|上面|上述|以上|前面|原来|原來|原有|原始|初始|系统|系統|你的|您的|所有|全部|一切',
  rules: '规则|規則|要求|限制|约束|約束|准则|準則|规定|規定|政策|过滤|過濾',
  above:
    '以上(?:内容|所有|全部|的话|的一切|内容)|上面(?:的)?(?:内容|所有|全部|的话|文字)|上述(?:内容|所有)?|前面(?:的)?(?:内容|所有|的话)|之前(?:的)?(?:所有|一切|内容)',
  reveal:
    '显示|顯示|展示|透露|泄露|洩露|泄漏|告诉我|告訴我|重复|重複|复述|複述|输出|輸出|打印|列出|给我看|給我看|写出|寫出|说出|說出|公开|公開',
  what: '是什么|是什麼',
  sysPrompt:
    '系统提示词|系統提示詞|系统提示语|系統提示語|(?:你的|您的)系统提示|(?:你的|您的)系統提示|系统指令|系統指令|系统消息|系統訊息|系统prompt|system ?prompt|初始指令|初始提示词',
  hidden:
    '(?:你的|您的)(?:指令|指示|提示词|提示詞|设定|設定|规则|規則|初始设置)|(?:初始|原始|隐藏|隱藏|秘密|内部|內部|最初|原本)的?(?:指令|指示|提示词|提示詞|设定|設定)|(?:你的|您的)(?:系统|系統)(?:提示|指令|消息|訊息)',
  textAbove:
    '(?:上面|上述|以上|前面)(?:的)?(?:所有)?(?:内容|文字|文本|话)|(?:从|從|自)(?:最)?开头(?:开始)?的(?:所有)?(?:内容|文字|文本)',
  ask: '告诉我|告訴我|是什么|是什麼|是多少|给我|給我|透露|分享|说出|說出|确认|確認',
  secret:
    '(?:你的|您的)(?:密码|密碼|密钥|密鑰|秘钥|秘密钥|口令|秘密代码|暗号)|(?:系统|系統|管理员|管理員)(?:的)?(?:密码|密碼|密钥)|秘密(?:代码|字符串)',
  password: '密码|密碼|口令',
  defaultBefore: '默认|默認|初始|出厂|出廠|默认的|預設',
  youAreNow:
    '(?:从现在开始|從現在開始|从现在起|從現在起|从今以后|從今以後|现在|現在)[，,]?\\s?(?:你是|你就是|你将是|你將是|你将扮演|你叫|你扮演|你成为)|你现在是|你現在是|你现在就是',
  unrestricted:
    '(?:没有|沒有|不受|摆脱|擺脫|打破)(?:了)?(?:任何)?(?:典型的)?(?:ai|人工智能)?(?:的)?(?:限制|约束|約束|过滤|過濾|审查|審查|道德|伦理|倫理)|无限制|無限制|不受限制|无审查|無審查|无过滤|無過濾',
  devMode: '开发者模式|開發者模式|开发人员模式|上帝模式|dan模式|越狱模式|越獄模式|无限制模式|無限制模式|邪恶模式',
  adminMode:
    '维护模式|維護模式|调试模式|調試模式|管理员模式|管理員模式|系统模式|系統模式|诊断模式|超级用户模式|root模式',
  sayOnly:
    '(?:只|只要|仅|僅|只需|只需要)(?:说|說|回答|回复|回覆|输出|輸出|打印)|(?:改为|改成|而是)(?:说|說|输出|輸出|回答)',
  authority:
    '我是(?:你的|您的)?(?:开发者|開發者|开发人员|開發人員|管理员|管理員|创造者|創造者|创建者|主人|老板|老闆|上司|总统|總統|警察)',
  following: '(?:说出|說出|输出|輸出|打印|说|說|写|寫)(?:以下|下面|如下)',
  sayThat: '(?:并|並|然后|然後)(?:声明|聲明|宣布|宣称|宣稱)',
};

const ja: Vocab = {
  lang: 'ja',
  script: 'cjk',
  order: 'ov',
  gate: '[\\u3040-\\u30ff]',
  negAfter: '(?!しないで|しない|せず|せずに|ないで|ずに|ません|てはいけ|ちゃだめ)',
  ignore: '無視|忘れ|破棄|従わな|従うな',
  instr: '指示|命令|プロンプト|指令|インストラクション|設定',
  prior:
    '以前の|前の|これまでの|今までの|上記の|上の|先の|元の|最初の|初期の|すべての|全ての|全部の|あなたの|システムの',
  rules: 'ルール|規則|制限|制約|ポリシー|ガイドライン',
  above: '上記|上の(?:内容|文章|テキスト)|これまでの(?:内容|すべて)|前述',
  reveal: '表示|見せ|教え|明かし|明かせ|繰り返|くりかえ|出力|印刷|書き出|共有|開示|暴露|リーク|言って',
  what: 'なんですか|何ですか|は何',
  sysPrompt:
    'システムプロンプト|システム・プロンプト|システムメッセージ|システム指示|システムの指示|初期プロンプト|隠された(?:指示|プロンプト)|秘密の(?:指示|プロンプト)|内部(?:指示|プロンプト)',
  hidden:
    'あなたの(?:指示|プロンプト|設定|ルール|初期設定)|(?:最初|初期|元|オリジナル|隠し|秘密|内部)の?(?:指示|プロンプト|命令)|あなたのシステム(?:プロンプト|メッセージ|指示)',
  textAbove:
    '上記(?:の)?(?:内容|文章|テキスト|すべて|全て)|上の(?:文章|テキスト|内容)|これより前の(?:文章|テキスト|内容)|最初からの(?:文章|テキスト|内容)',
  ask: '教えて|教え|なんですか|何ですか|は何|を言って|明かして|共有して|確認して|が必要',
  secret:
    '(?:あなたの|君の|お前の|システムの|管理者の)(?:パスワード|秘密鍵|秘密のキー|秘密のコード|シークレットキー|暗証番号|合言葉)',
  password: 'パスワード|暗証番号',
  defaultBefore: 'デフォルトの|デフォルト|初期|初期の|既定の',
  youAreNow: '(?:今から|これから|今後は?|以後)、?\\s?(?:あなたは|君は|お前は)',
  unrestricted:
    '(?:制限|制約|フィルター|検閲|倫理|道徳)(?:が|を|に|の|は)?(?:一切)?(?:ない|なし|無し|無い|受けない|縛られない)|無制限|制限なし|検閲なし',
  devMode: '開発者モード|デベロッパーモード|ゴッドモード|神モード|danモード|脱獄モード|ジェイルブレイク|無制限モード',
  adminMode: 'メンテナンスモード|デバッグモード|管理者モード|システムモード|診断モード|ルートモード',
  sayOnly: '(?:だけ|のみ)(?:を)?(?:言って|答えて|出力して|返して|書いて|表示して)',
  authority: '(?:私|僕|俺)は(?:あなたの)?(?:開発者|作成者|創造者|管理者|上司|社長|大統領|警察官)',
  following: '(?:次|以下)(?:の内容|の文)?を(?:印刷|出力|表示|言って|書いて)',
};

const ko: Vocab = {
  lang: 'ko',
  script: 'words',
  order: 'ov',
  gate: '[\\uac00-\\ud7af]',
  negAfter: '(?!하지 ?마|하지 ?말|하면 안)',
  ignore: '무시|잊어|잊으|잊고|따르지 ?마|따르지 ?말|버려|버리',
  instr: '지시|지침|명령|프롬프트|인스트럭션',
  prior: '이전|앞의|앞선|위의|위|기존|원래|처음|초기|모든|당신의|너의|네|시스템',
  rules: '규칙|제한|설정|제약|정책|가이드라인',
  above: '위의 (?:내용|모든 것|글|텍스트)|위 내용|앞의 (?:내용|모든 것)|이전 내용|위에서 (?:말한|언급한) (?:것|내용)',
  reveal: '보여|공개|알려|반복|출력|인쇄|말해|적어|드러내|누설|공유',
  what: '무엇|뭐',
  sysPrompt:
    '시스템 ?프롬프트|시스템 ?메시지|시스템 ?지시|시스템 ?지침|초기 ?프롬프트|숨겨진 (?:지시|프롬프트)|비밀 (?:지시|프롬프트)',
  hidden:
    '(?:당신의|너의|네) (?:지시|지침|프롬프트|설정|규칙)|(?:초기|원래|숨겨진|비밀|내부|처음) ?(?:지시|지침|프롬프트|명령)|(?:당신의|너의|네) 시스템 ?(?:프롬프트|메시지|지시)',
  textAbove:
    '위의 (?:내용|글|텍스트|모든 것)|위 (?:내용|글|텍스트)|처음부터 (?:모든 )?(?:내용|글|텍스트)|앞의 (?:내용|글|텍스트)',
  ask: '알려|말해|무엇|뭐|공개|공유|확인|필요',
  secret: '(?:당신의|너의|네) ?(?:비밀번호|암호|패스워드|비밀 ?키|비밀 ?코드)|시스템 (?:비밀번호|암호)|비밀 ?코드',
  password: '비밀번호|암호|패스워드',
  defaultBefore: '기본 |초기 |기본|초기',
  youAreNow: '(?:지금부터|이제부터|이제|앞으로)(?:는)? ?(?:당신은|너는|넌)',
  unrestricted:
    '(?:제한|제약|필터|검열|윤리|도덕)(?:이|가|을|를|에|도)? ?(?:없|받지 ?않|구애받지)|무제한|제한 ?없이|검열 ?없이',
  devMode: '개발자 ?모드|갓 ?모드|신 ?모드|dan ?모드|탈옥 ?모드|탈옥|무제한 ?모드',
  adminMode: '유지 ?보수 ?모드|유지관리 ?모드|디버그 ?모드|관리자 ?모드|시스템 ?모드|진단 ?모드|루트 ?모드',
  sayOnly: '(?:만|오직|그냥|대신) ?(?:말해|답해|대답해|출력해|반복해)|(?:라고|이라고)만 (?:말해|답해|대답해|출력해)',
  authority: '(?:나는|저는) (?:당신의 |너의 |네 )?(?:개발자|제작자|창조자|관리자|상사|대통령|경찰)',
  dataWorld: '개인 ?(?:데이터|정보)가 (?:자유롭게 )?공유',
  personData: '생일|생년월일|이메일 주소|집 주소|어디에 살',
};

const hi: Vocab = {
  lang: 'hi',
  script: 'words',
  order: 'ov',
  gate: '[\\u0900-\\u097f]',
  negAfter: '(?! ?न करें| ?मत)',
  ignore: 'अनदेखा|अनदेखी|नज़रअंदाज़|नजरअंदाज|भूल जा~|उपेक्षा|अवहेलना|पालन न करें|पालन मत करो',
  instr: 'निर्देश~|आदेश~|प्रॉम्प्ट|हिदायत~',
  prior: 'पिछले|पिछली|पहले के|पहले|पूर्व|ऊपर के|ऊपर दिए गए|सभी|अपने|आपके|सिस्टम',
  rules: 'नियम~|प्रतिबंध~|सीमा~',
  above: 'उपरोक्त|ऊपर (?:दिए गए|लिखे|की|के|लिखी) (?:सभी )?(?:बातें|बातों|पाठ|टेक्स्ट|सामग्री)',
  reveal: 'दिखाओ|दिखाएं|दिखाइए|बताओ|बताएं|बताइए|दोहराओ|दोहराएं|दोहराइए|प्रकट करें|साझा करें|लिखो|लिखें',
  what: 'क्या है|क्या हैं',
  sysPrompt: 'सिस्टम प्रॉम्प्ट|सिस्टम संदेश|सिस्टम निर्देश|प्रारंभिक निर्देश|छिपे हुए निर्देश|गुप्त निर्देश',
  hidden:
    '(?:आपके|तुम्हारे|अपने) (?:निर्देश~|नियम~)|(?:प्रारंभिक|मूल|छिपे हुए|गुप्त|आंतरिक) (?:निर्देश~|प्रॉम्प्ट)|(?:आपका|आपके|तुम्हारा|तुम्हारे|अपना) सिस्टम (?:प्रॉम्प्ट|निर्देश~|संदेश)',
  textAbove: 'ऊपर (?:का|के|लिखा|दिया गया) (?:सारा |पूरा )?(?:पाठ|टेक्स्ट|सब कुछ)|शुरू से (?:सारा |पूरा )?(?:पाठ|टेक्स्ट)',
  ask: 'क्या है|बताओ|बताएं|बताइए|साझा करें|साझा कर|पुष्टि',
  secret: '(?:आपका|अपना|तुम्हारा|तेरा) (?:पासवर्ड|गुप्त कोड|सीक्रेट की)|सिस्टम (?:का|के लिए) पासवर्ड',
  password: 'पासवर्ड',
  defaultBefore: 'डिफ़ॉल्ट |डिफॉल्ट ',
  youAreNow: 'अब से (?:तुम|आप)',
  unrestricted: '(?:बिना|कोई) (?:किसी )?(?:प्रतिबंध~|सीमा~|फ़िल्टर|फिल्टर|सेंसर~)',
  devMode: 'डेवलपर मोड|गॉड मोड|डैन मोड|जेलब्रेक मोड',
  adminMode: 'रखरखाव मोड|डिबग मोड|एडमिन मोड|सिस्टम मोड',
  sayOnly: 'केवल (?:यह )?(?:कहो|कहें|लिखो|लिखें|जवाब दें)|सिर्फ़? (?:यह )?(?:कहो|कहें|लिखो|लिखें)',
  authority:
    'मैं (?:आपका |तुम्हारा |एक )?(?:डेवलपर|निर्माता|प्रशासक|रखवाला|राष्ट्रपति|पुलिस अधिकारी|मालिक|बॉस|भगवान)|मेरे निर्देशों (?:को )?(?:सुनना|मानना|का पालन करना) (?:चाहिए|होगा)',
  asAi: `(?:विकसित|बनाया गया|बनाई गई|प्रशिक्षित) (?:एक )?(?:एआई|ai|कृत्रिम बुद्धि)${wg(3)}(?:मैं|मुझे)(?![\\p{L}\\p{M}])`,
  following: `निम्न(?:लिखित)?${wg(1)}(?:बताओ|बताएं|कहें|कहो|लिखें|लिखो|आउटपुट|उत्पादन|प्रिंट)`,
  sayThat: '(?:और|फिर) (?:संकेत दें|घोषित करें) कि',
  worldSay: worldSay(
    'काल्पनिक परिदृश्य|समानांतर (?:दुनिया|ब्रह्मांड)|ऐसी दुनिया में जहां|दुनिया में जहां',
    'हम (?:बताते|कहते) हैं|हम कह सकते हैं',
  ),
  dataWorld: 'व्यक्तिगत डेटा पर (?:एक )?(?:शोध|सर्वेक्षण)|व्यक्तिगत डेटा (?:स्वतंत्र रूप से )?साझा',
  personData: 'जन्म तिथि|जन्मदिन|ईमेल पता|घर का पता|निवास शहर|कहाँ रहत~|कहां रहत~',
};

const ar: Vocab = {
  lang: 'ar',
  script: 'words',
  order: 'vo',
  gate: '[\\u0600-\\u06ff]',
  neg: 'لا|لن|دون|بدون',
  ignore: 'تجاهل~|تتجاهل~|انس|انسى|إنس|أهمل~|اهمل~|لا تتبع|لا تلتزم|تخط~|تجاوز~',
  instr: '(?:ال)?تعليمات|(?:ال)?إرشادات|(?:ال)?ارشادات|(?:ال)?أوامر|(?:ال)?اوامر|(?:ال)?توجيهات|(?:ال)?موجه',
  prior: 'السابقة|السابق|الأولية|الاولية|الأصلية|الاصلية|أعلاه|اعلاه|كل|جميع',
  rules: '(?:ال)?قواعد|(?:ال)?قيود|(?:ال)?سياسات',
  above: 'ما (?:سبق|ورد أعلاه|ورد اعلاه)|كل ما سبق|النص (?:أعلاه|اعلاه|السابق)',
  reveal: 'اكشف|أظهر|اظهر|اعرض|كرر|اطبع|أخبرني|اخبرني|قل لي|شارك|اكتب',
  what: 'ما هي|ما هو',
  sysPrompt: 'موجه النظام|رسالة النظام|تعليمات النظام|التعليمات الأولية|التعليمات الاولية|التعليمات المخفية',
  hidden:
    '(?:تعليماتك|إرشاداتك|ارشاداتك|أوامرك|اوامرك)|(?:ال)?تعليمات (?:الأولية|الاولية|الأصلية|المخفية|السرية|الداخلية)|(?:موجه|رسالة|تعليمات) النظام الخاص(?:ة)? بك',
  textAbove: 'النص (?:أعلاه|اعلاه|السابق)|كل ما (?:سبق|ورد أعلاه)|(?:كل )?شيء من البداية',
  ask: 'ما هي|ما هو|أخبرني|اخبرني|قل لي|شارك|أعطني|اعطني|أكد|اكد',
  secret: 'كلمة (?:المرور|السر) (?:الخاصة بك|الخاصة بنظامنا|لنظامنا)|كلمة مرورك|كلمة سرك|مفتاحك السري|الرمز السري',
  password: 'كلمة المرور|كلمة السر',
  defaultAfter: 'الافتراضية|الافتراضي',
  youAreNow: '(?:من الآن فصاعدا|من الآن|الآن) (?:أنت|انت)',
  unrestricted: '(?:بدون|دون|بلا) (?:أي |اي )?(?:قيود|حدود|رقابة|فلترة|تصفية)',
  devMode: 'وضع المطور|وضع الإله|وضع dan',
  adminMode: 'وضع (?:الصيانة|التصحيح|المسؤول|المسئول|النظام|التشخيص)',
  sayOnly: '(?:فقط|فحسب) (?:قل|اكتب|أجب|اطبع|كرر)|(?:قل|اكتب|أجب) فقط',
  authority: 'أنا (?:مطور|المطور|مطورك|المسؤول|مسؤول|المدير|مدير|رئيس|الرئيس|منشئك|شرطي|ضابط شرطة)',
  following: '(?:قل|اكتب|اطبع|كرر|أخرج|اعرض) (?:ما يلي|التالي|النص التالي)',
  sayThat: 'و?(?:أشر|اشر|صرح|أعلن|اعلن)(?: إلى| الى)? (?:أن|إن|ان)',
  worldSay: worldSay('في عالم', 'قد نقول|قد نذكر|يمكننا القول|يمكن القول'),
};

const tr: Vocab = {
  lang: 'tr',
  script: 'words',
  order: 'ov',
  gate: 'bir bu için ile çok daha gibi olarak ama şimdi senin tüm önceki bütün talimatları şifre',
  ignore:
    'görmezden gel(?:in|iniz)?(?![\\p{L}])|yok say(?:ın|ınız)?(?![\\p{L}])|unut(?:un|unuz)?(?![\\p{L}])|dikkate alma(?:yın)?(?![\\p{L}])|uyma(?:yın)?(?![\\p{L}])',
  instr: 'talimat~|komut~|yönerge~|istem~|prompt~|direktif~',
  prior: 'önceki|yukarıdaki|tüm|bütün|ilk|orijinal|senin|sistem',
  rules: 'kural~|kısıtlama~|sınırlama~|filtre~|politika~',
  above: 'yukarıdaki~|yukarıdakileri|öncekileri',
  reveal: 'göster~|ifşa et~|tekrarla~|yaz~|söyle~|paylaş~|ver~',
  what: 'nedir',
  sysPrompt: 'sistem istem~|sistem prompt~|sistem talimat~|sistem mesaj~|system prompt',
  hidden:
    '(?:senin|gizli|ilk|orijinal|dahili|başlangıç) (?:talimat~|istem~|prompt~|kural~)|(?:senin|sizin) sistem (?:istem~|prompt~|talimat~)|sistem istemin~',
  textAbove: 'yukarıdaki (?:metn~|metin~|her şey~|yazı~)|baştan itibaren (?:tüm )?(?:metn~|metin~)',
  ask: 'nedir|söyle~|ver~|paylaş~|onayla~|gerek~',
  secret: '(?:senin|sizin) (?:şifre~|parola~|gizli anahtar~)|şifren|şifreniz|parolan|parolanız',
  password: 'şifre~|parola~',
  defaultBefore: 'varsayılan |fabrika ',
  youAreNow: '(?:şu andan itibaren|bundan sonra|artık) (?:sen|siz)(?![\\p{L}])',
  unrestricted: 'kısıtlamasız|sansürsüz|filtresiz|sınırsız|hiçbir (?:kısıtlama|sınır|filtre|sansür)',
  devMode: 'geliştirici mod~|tanrı mod~|dan mod~|jailbreak mod~',
  adminMode:
    '(?:bakım|hata ayıklama|yönetici|admin|sistem|teşhis) mod~|(?:senin|sizin) (?:geliştiricin|yaratıcın|yöneticin)~',
  sayOnly: '(?:sadece|yalnızca|bunun yerine) (?:söyle|yaz|cevap ver|yanıt ver|tekrarla)',
  authority:
    'geliştiriciyim|geliştiricinim|yöneticiyim|yöneticinim|yaratıcınım|sistem yöneticisiyim|başkanıyım|polis memuruyum',
  following: '(?:aşağıdakini|aşağıdakileri|şunu) (?:söyle|yaz|yazdır|belirt|tekrarla)',
  worldSay: worldSay('dünyada|evrende|senaryoda', '(?:şunu )?(?:belirtebiliriz|söyleyebiliriz)', 1),
};

const vi: Vocab = {
  lang: 'vi',
  script: 'words',
  order: 'vo',
  gate: 'của và là các những bạn tôi không được này có với cho trong để một hãy',
  neg: 'không|đừng|chớ',
  ignore: 'bỏ qua|phớt lờ|quên|lờ đi|không tuân theo|đừng tuân theo',
  instr: 'hướng dẫn|chỉ dẫn|chỉ thị|lệnh|lời nhắc|mệnh lệnh|prompt',
  prior: 'trước đó|trước|ban đầu|gốc|tất cả|mọi|của bạn|hệ thống|ở trên',
  rules: 'quy tắc|quy định|giới hạn|hạn chế|bộ lọc|chính sách',
  above: 'những điều trên|điều trên|nội dung trên|những gì ở trên|ở trên',
  reveal: 'hiển thị|cho tôi xem|tiết lộ|lặp lại|in ra|viết ra|nói cho tôi|cho tôi biết|chia sẻ',
  what: 'là gì',
  sysPrompt: 'lời nhắc hệ thống|prompt hệ thống|chỉ dẫn hệ thống|hướng dẫn hệ thống|thông điệp hệ thống|system prompt',
  hidden:
    '(?:hướng dẫn|chỉ dẫn|lời nhắc|prompt) (?:ban đầu|gốc|ẩn|bí mật|nội bộ)|(?:hướng dẫn|chỉ dẫn|lời nhắc) của bạn|(?:lời nhắc|prompt|hướng dẫn|chỉ dẫn) hệ thống của bạn',
  textAbove: '(?:toàn bộ )?(?:văn bản|nội dung) (?:ở )?(?:trên|phía trên)|mọi thứ ở trên|từ đầu',
  ask: 'là gì|cho tôi biết|nói cho tôi|chia sẻ|xác nhận|đưa cho tôi|cần',
  secret: 'mật khẩu của bạn|khóa bí mật của bạn|mã bí mật',
  password: 'mật khẩu',
  defaultAfter: 'mặc định',
  youAreNow: '(?:từ bây giờ|kể từ bây giờ|bây giờ),? bạn (?:là|sẽ là)|bạn bây giờ là|bạn giờ là',
  unrestricted: 'không (?:có )?(?:bất kỳ )?(?:giới hạn|hạn chế|kiểm duyệt|bộ lọc)',
  devMode: 'chế độ (?:nhà phát triển|dev|thần|dan|jailbreak|không giới hạn)',
  adminMode: 'chế độ (?:bảo trì|gỡ lỗi|debug|quản trị|admin|hệ thống|chẩn đoán)',
  sayOnly: '(?:chỉ|thay vào đó) (?:nói|viết|trả lời|in ra|lặp lại)',
  authority:
    'tôi là (?:một |người |nhà )?(?:nhà phát triển|lập trình viên|quản trị viên|người tạo ra|tổng thống|cảnh sát|sếp)',
  following:
    '(?:nói|viết|in ra|lặp lại|xuất ra|trả lời) (?:chính xác )?(?:những điều sau|điều sau|nội dung sau|như sau)',
  sayThat: '(?:và|rồi) (?:chỉ ra|tuyên bố|khẳng định) (?:rằng|là)',
  askLast: true,
  dataWorld: '(?:khảo sát|nghiên cứu) về dữ liệu cá nhân|dữ liệu cá nhân (?:được )?(?:chia sẻ tự do|công khai)',
  personData: 'ngày sinh|địa chỉ email|địa chỉ nhà|thành phố cư trú|sống ở đâu',
};

const id: Vocab = {
  lang: 'id',
  script: 'words',
  order: 'vo',
  gate: 'yang di untuk dengan anda saya ini itu dari tidak akan kamu semua adalah',
  neg: 'jangan|tidak|tanpa',
  ignore: 'abaikan|lupakan|acuhkan|jangan ikuti|jangan pedulikan|tinggalkan',
  instr: 'instruksi|instruksiku|petunjuk|perintah|arahan|prompt|pedoman',
  prior: 'sebelumnya|awal|asli|semua|seluruh|anda|kamu|sistem|di atas',
  rules: 'aturan|batasan|pembatasan|filter|kebijakan',
  above: 'yang di atas|hal di atas|semua di atas|teks di atas|semua yang sebelumnya',
  reveal: 'tunjukkan|tampilkan|ungkapkan|ulangi|cetak|tuliskan|beri tahu|katakan|bagikan',
  what: 'apa',
  sysPrompt: 'prompt sistem|instruksi sistem|pesan sistem|petunjuk sistem|system prompt',
  hidden:
    '(?:instruksi|petunjuk|prompt|arahan) (?:awal|asli|tersembunyi|rahasia|internal)|(?:instruksi|petunjuk|arahan|aturan) (?:anda|kamu)|(?:prompt|instruksi|petunjuk) sistem (?:anda|kamu)',
  textAbove: '(?:semua )?(?:teks|tulisan) (?:di atas|sebelumnya)|semua yang di atas|dari awal',
  ask: 'apa|beri tahu|katakan|bagikan|konfirmasi|berikan|butuh',
  secret: '(?:kata sandi|sandi|kunci rahasia|kode rahasia|password) (?:anda|kamu)|sandimu|string rahasia',
  password: 'kata sandi|sandi|password',
  defaultAfter: 'default|bawaan',
  youAreNow: '(?:mulai sekarang|sekarang|mulai saat ini),? (?:anda|kamu) (?:adalah|akan menjadi|menjadi)',
  unrestricted: 'tanpa (?:ada )?(?:batasan|pembatasan|sensor|filter)',
  devMode: 'mode (?:pengembang|developer|dewa|dan|jailbreak|tanpa batas)',
  adminMode: 'mode (?:pemeliharaan|debug|admin|administrator|sistem|diagnostik)',
  sayOnly: '(?:hanya|cukup|sebagai gantinya) (?:katakan|tulis|jawab|balas|cetak|ulangi)',
  authority:
    '(?:saya|aku) (?:adalah )?(?:seorang )?(?:pengembang|developer|admin|administrator|pencipta|presiden|polisi|bos|tuhan)(?![\\p{L}])|(?:kamu|kau|anda) harus (?:mendengarkan|mematuhi|mengikuti) (?:instruksiku|perintahku|instruksi saya|perintah saya)',
  following: '(?:nyatakan|katakan|tulis|tuliskan|cetak|ulangi) (?:hal )?(?:berikut|yang berikut)',
  sayThat: '(?:dan|lalu) nyatakan(?: bahwa|\\s?:)',
  askLast: true,
  worldSay: worldSay(
    'di (?:dunia|alam semesta) (?:di mana|yang|paralel)|dalam skenario (?:di mana|yang)',
    'kita (?:mungkin |bisa |dapat )?(?:menyatakan|mengatakan)',
  ),
};

const el: Vocab = {
  lang: 'el',
  script: 'words',
  order: 'vo',
  gate: '[\\u0370-\\u03ff\\u1f00-\\u1fff]',
  neg: 'μην|μη|δεν|χωρίς',
  ignore: 'αγνο~|αγνό~|ξεχ~|ξέχ~|παράβλεψ~|παραβλέψ~|παραβλεψ~|αψήφησ~|αψηφ~|μην ακολουθ~',
  instr: 'οδηγί~|οδηγι~|εντολ~|προτροπ~|prompt~',
  prior: 'προηγούμεν~|προηγουμεν~|αρχικ~|όλ~|ολ~|τις|τους|σου|σας|συστήματος',
  rules: 'κανόν~|κανον~|περιορισμ~|φίλτρ~|πολιτικ~',
  above: 'τα παραπάνω|όλα τα παραπάνω|το παραπάνω κείμενο|ό,?τι προηγήθηκε',
  reveal: 'δείξ~|δειξ~|αποκάλυψ~|αποκαλύψ~|επανάλαβ~|επαναλάβ~|τύπωσ~|τυπώσ~|γράψ~|πες μου|πείτε μου|μοιράσου',
  what: 'ποι~ (?:είναι|ήταν)|τι (?:λέει|γράφει)',
  sysPrompt: 'μήνυμα συστήματος|προτροπή συστήματος|οδηγίες συστήματος|system prompt',
  hidden: '(?:αρχικ~|κρυφ~|μυστικ~|εσωτερικ~) (?:οδηγί~|εντολ~|προτροπ~)|οδηγίες (?:σου|σας)',
  textAbove: 'το (?:παραπάνω )?κείμενο (?:παραπάνω|από πάνω)|όλα από την αρχή',
  ask: 'ποιος είναι|ποιο είναι|πες μου|πείτε μου|δώσε μου|δώστε μου|επιβεβαίωσ~|μοιράσου',
  secret: 'κωδικ~ (?:πρόσβασης )?(?:σου|σας)|μυστικό (?:σου|σας)|συνθηματικό (?:σου|σας)',
  password: 'κωδικ~ πρόσβασης|συνθηματικ~',
  defaultBefore: 'προεπιλεγμέν~ ',
  youAreNow: 'από (?:τώρα|εδώ) και (?:στο εξής|πέρα) (?:είσαι|θα είσαι)',
  unrestricted: 'χωρίς (?:κανέναν |κανένα |καμία )?(?:περιορισμ~|φίλτρ~|λογοκρισία|ηθική)',
  devMode: 'λειτουργία (?:προγραμματιστή|θεού|dan|jailbreak)',
  adminMode: 'λειτουργία (?:συντήρησης|αποσφαλμάτωσης|διαχειριστή|συστήματος)',
  sayOnly: '(?:μόνο|απλώς) (?:πες|γράψε|απάντησε)',
  authority: 'είμαι (?:ο |η )?(?:προγραμματιστής|διαχειριστής|δημιουργός|πρόεδρος|αστυνομικός)',
  following: '(?:πες|γράψε|τύπωσε|επανάλαβε) (?:ακριβώς )?(?:τα εξής|το εξής|τα ακόλουθα)',
  sayThat: '(?:και|μετά) δήλωσε (?:ότι|πως)',
};

/** Thai text reaches the rules with sara am (ำ) decomposed, as normalize.ts leaves it. */
function saraAm(v: Vocab): Vocab {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x.replaceAll('ำ', '\u0e4d\u0e32') : x;
  return out as unknown as Vocab;
}

const th: Vocab = saraAm({
  lang: 'th',
  script: 'cjk',
  order: 'vo',
  gate: '[\\u0e00-\\u0e7f]',
  neg: 'อย่า|ไม่',
  ignore: 'ไม่สนใจ|อย่าสนใจ|อย่าไปสนใจ|เพิกเฉย|ละเลย|ละเว้น|ลืม|มองข้าม',
  instr: 'คำแนะนำ|คำสั่ง|คำชี้แจง|ข้อความแจ้ง|พรอมต์|prompt',
  prior: 'ก่อนหน้า|ทั้งหมด|เดิม|แรกเริ่ม|ของคุณ',
  rules: 'กฎ|ข้อจำกัด|นโยบาย|ตัวกรอง',
  above: 'ข้างต้น|ด้านบน|ที่กล่าวมา',
  reveal: 'แสดง|เปิดเผย|บอก|ทำซ้ำ|พิมพ์|เขียน|แชร์',
  what: 'คืออะไร|อะไร',
  sysPrompt: 'พรอมต์ระบบ|ข้อความระบบ|คำสั่งระบบ|system prompt',
  hidden: '(?:คำแนะนำ|คำสั่ง|พรอมต์)(?:ของคุณ|เริ่มต้น|ที่ซ่อน|ลับ)',
  textAbove: 'ข้อความ(?:ข้างต้น|ด้านบน)|ทุกอย่างข้างต้น',
  ask: 'คืออะไร|บอก|แชร์|ยืนยัน|ให้ฉัน',
  secret: 'รหัสผ่านของคุณ|รหัสลับ|รหัสผ่านของระบบ',
  password: 'รหัสผ่าน',
  defaultAfter: 'เริ่มต้น|ค่าเริ่มต้น',
  youAreNow: '(?:ตั้งแต่นี้|จากนี้)(?:ไป)?\\s?คุณ(?:คือ|เป็น)',
  unrestricted: 'ไม่มี(?:ข้อ)?จำกัด|ไม่มีการเซ็นเซอร์|ไร้ขีดจำกัด',
  devMode: 'โหมดนักพัฒนา|โหมดพระเจ้า|โหมด ?dan',
  adminMode: 'โหมดบำรุงรักษา|โหมดดีบัก|โหมดผู้ดูแล|โหมดระบบ',
  sayOnly: '(?:แค่|เพียง)(?:พูด|ตอบ|พิมพ์)ว่า',
  authority: '(?:ฉัน|ผม)เป็น(?:นักพัฒนา|ผู้ดูแลระบบ|ผู้สร้าง|ประธานาธิบดี|ตำรวจ)',
  following: '(?:พูด|พิมพ์|เขียน|แสดง)(?:ข้อความ)?(?:ต่อไปนี้|ดังต่อไปนี้)',
  sayThat: '(?:และ|แล้ว)(?:ระบุ|ประกาศ)ว่า',
  askLast: true,
  worldSay: `ในโลกที่${cg(64)}(?:เราอาจ|เราสามารถ)(?:ระบุ|พูด|กล่าว)ว่า${cg(40)}[:"'“]`,
});

const bn: Vocab = {
  lang: 'bn',
  script: 'words',
  order: 'ov',
  gate: '[\\u0980-\\u09ff]',
  negAfter: '(?! ?না| ?করবেন না)',
  ignore: 'উপেক্ষা|অগ্রাহ্য|ভুলে যা~|এড়িয়ে যা~',
  instr: 'নির্দেশ~|আদেশ~|প্রম্পট',
  prior: 'আগের|পূর্বের|পূর্ববর্তী|পুরনো|সমস্ত|সব|আপনার|তোমার|সিস্টেম',
  rules: 'নিয়ম~|বিধিনিষেধ~|সীমাবদ্ধতা~',
  above: 'উপরের (?:সব|সবকিছু|লেখা|পাঠ্য)|উপরোক্ত',
  reveal: 'দেখাও|দেখান|বলুন|বলো|পুনরাবৃত্তি করুন|প্রকাশ করুন|শেয়ার করুন|লিখুন',
  what: 'কী|কি',
  sysPrompt: 'সিস্টেম প্রম্পট|সিস্টেম বার্তা|সিস্টেম নির্দেশ~',
  hidden: '(?:আপনার|তোমার) (?:নির্দেশ~|নিয়ম~|সিস্টেম প্রম্পট)|(?:প্রাথমিক|গোপন|লুকানো|মূল) (?:নির্দেশ~|প্রম্পট)',
  textAbove: 'উপরের (?:লেখা|পাঠ্য|সবকিছু)',
  ask: 'কী|কি|বলুন|বলো|শেয়ার করুন|নিশ্চিত করুন|দিন',
  secret: '(?:আপনার|তোমার) পাসওয়ার্ড|সিস্টেমের পাসওয়ার্ড|গোপন কোড',
  password: 'পাসওয়ার্ড',
  defaultBefore: 'ডিফল্ট ',
  youAreNow: 'এখন থেকে (?:তুমি|আপনি)',
  unrestricted: '(?:কোনো|কোন) (?:বিধিনিষেধ|সীমাবদ্ধতা|ফিল্টার|সেন্সর) ছাড়া',
  devMode: 'ডেভেলপার মোড|গড মোড|জেলব্রেক মোড',
  adminMode: 'সিস্টেম মোড|রক্ষণাবেক্ষণ মোড|ডিবাগ মোড|অ্যাডমিন মোড',
  sayOnly: 'শুধু (?:বলুন|বলো|লিখুন)',
  authority: 'আমি (?:আপনার |তোমার |একজন )?(?:ডেভেলপার|বিকাশকারী|নির্মাতা|প্রশাসক|রাষ্ট্রপতি|পুলিশ)',
  following: `নিম্নলিখিত${wg(1)}(?:আউটপুট|বলুন|বলো|লিখুন|প্রিন্ট)`,
  worldSay: worldSay('বিশ্বে যেখানে|সমান্তরাল বিশ্বে', 'আমরা বলতে পারি'),
  dataWorld: 'ব্যক্তিগত তথ্য (?:স্বাধীনভাবে |অবাধে )?শেয়ার',
  personData: 'জন্ম তারিখ|জন্মদিন|ইমেল ঠিকানা|বাড়ির ঠিকানা|কোথায় থাক~',
};

const tl: Vocab = {
  lang: 'tl',
  script: 'words',
  order: 'vo',
  gate: 'ang ng mga sa ay iyong ako akin kung hindi ba po ito mo ko natin namin',
  neg: 'huwag|wag|hindi',
  ignore:
    'huwag pansinin|wag pansinin|balewalain|ibalewala|kalimutan|ipagwalang-bahala|huwag sundin|wag sundin|huwag intindihin',
  instr: 'tagubilin|instruksyon~|instruksiyon~|utos|direksyon|prompt',
  prior: 'nauna~|dati~|lahat|iyong|inyong|mo|sistema',
  rules: 'patakaran|panuntunan|limitasyon|paghihigpit',
  above: 'nasa itaas|sa itaas|nakaraan',
  reveal: 'ipakita|ibunyag|ulitin|isulat|sabihin|ibahagi|i-print',
  what: 'ano ang|ano ba ang',
  sysPrompt: 'system prompt|prompt ng sistema|mensahe ng sistema|tagubilin ng sistema',
  hidden:
    '(?:iyong|inyong) (?:mga )?(?:tagubilin|instruksyon~|prompt|patakaran)|(?:orihinal|nakatago|lihim) na (?:tagubilin|prompt)',
  textAbove: 'teksto sa itaas|lahat ng nasa itaas',
  ask: 'ano ang|sabihin|ibahagi|ibigay|kumpirmahin|kailangan',
  secret:
    '(?:iyong|inyong) password|password (?:mo|ninyo)|password (?:para sa|ng) (?:ating |aming |inyong |iyong )?sistema|lihim na code',
  password: 'password|passcode',
  defaultBefore: 'default na ',
  youAreNow: 'mula ngayon,? ikaw (?:ay|na)',
  unrestricted: 'walang (?:anumang )?(?:limitasyon|paghihigpit|censorship|filter|sensor)',
  devMode: 'mode ng (?:developer|diyos)',
  adminMode: 'mode ng (?:pagpapanatili|sistema|admin)',
  sayOnly: '(?:sabihin|isulat) (?:lamang|lang)',
  authority:
    'bilang (?:iyong|inyong) (?:lumikha|developer|tagapaglikha|admin|administrador|boss)|ako (?:ang |ay )?(?:iyong |inyong )?(?:developer|lumikha|admin|administrador|presidente|pulis)',
  following: '(?:sabihin|isulat|i-print|ulitin) (?:ang )?(?:mga )?sumusunod',
  sayThat: '(?:at|pagkatapos) ipahayag(?: na|\\s?:)',
};

/** The languages, most-used in LLM traffic first. English lives in injection.ts. */
export const VOCABS: readonly Vocab[] = [zh, es, fr, de, pt, ru, ja, ko, it, hi, ar, tr, vi, id, el, th, bn, tl];
