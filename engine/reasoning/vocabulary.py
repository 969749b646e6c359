"""The vocabulary in words: a sentence and an example for every fact type, field and value.

One table, read three ways: `appealable schema` carries the sentences as JSON Schema
`description`s (an editor shows them on hover), `appealable vocabulary` writes docs/vocabulary.md,
and tests/test_vocabulary.py fails when a fact type, a field or a closed-set value has no entry, so
the vocabulary cannot grow undocumented. Entries say what the engine reads a value to mean and how
to encode a record with it; the law the rules draw from it lives in rules/, with its authority.
"""

from __future__ import annotations

from engine.input.model import FACTORS

Entry = tuple[str, str]  # (what it means, an example as it is written)

# -- closed sets: what each value means ---------------------------------------------------------
VALUES: dict[str, dict[str, str]] = {
    "Severity": {
        "serious": "a violent felony or a crime of comparable gravity (an armed robbery, a shooting, an aggravated assault)",
        "moderate": "a crime that is neither violent nor petty (a burglary of an empty building, possession of drugs for sale)",
        "minor": "a petty offence or minor misdemeanour (a traffic violation, trespass, disorderly conduct)",
        "none": "no crime was suspected (a welfare check, a mental-health call, a witness)",
        "unknown": "the record does not say, or the parties dispute it",
    },
    "Resistance": {
        "none": "the person did what the officers told him",
        "passive": "he did not cooperate but did not fight: went limp, refused to move, kept his hands under him",
        "active": "he struggled to avoid being seized: pulled away, stiffened his arms, broke free",
        "combative": "he attacked or fought the officers: punched, kicked, grabbed at an officer or a weapon",
        "unknown": "the record does not say, or the parties dispute it",
    },
    "Force": {
        "deadly": "force that creates a substantial risk of death or serious bodily harm (shooting, a vehicle driven at someone)",
        "non_deadly": "any other physical force (a takedown, a taser, strikes, handcuffing)",
        "none": "no force is at issue (a false-arrest or retaliation claim)",
    },
    "Court": {
        "scotus": "the Supreme Court of the United States",
        "district": "a federal district court",
        "dc-cir": "the Court of Appeals for the D.C. Circuit",
        **{
            f"{n}-cir": f"the Court of Appeals for the {w} Circuit"
            for n, w in (
                ("1st", "First"),
                ("2nd", "Second"),
                ("3rd", "Third"),
                ("4th", "Fourth"),
                ("5th", "Fifth"),
                ("6th", "Sixth"),
                ("7th", "Seventh"),
                ("8th", "Eighth"),
                ("9th", "Ninth"),
                ("10th", "Tenth"),
                ("11th", "Eleventh"),
            )
        },
    },
    "Posture": {
        "summary_judgment": "immunity was denied (or granted) on a motion for summary judgment, on the record",
        "motion_to_dismiss": "on a motion to dismiss, on the complaint's allegations",
        "trial_verdict": "after trial, on the jury's verdict",
    },
    "AppealFrom": {
        "interlocutory": "the appeal is taken before final judgment, from the order on immunity",
        "final_judgment": "the appeal is taken from the final judgment",
    },
    "ClaimKind": {
        "excessive_force": "Fourth Amendment excessive force (the only kind whose merits the rules decide)",
        "false_arrest": "arrest without probable cause",
        "unlawful_detention": "a stop or detention without reasonable suspicion, or prolonged beyond it",
        "unlawful_search": "a search without a warrant or an exception to the warrant requirement",
        "malicious_prosecution": "a prosecution begun without probable cause and with malice",
        "fabricated_evidence": "evidence the official knowingly fabricated",
        "first_amendment_retaliation": "adverse action taken because of protected speech or activity",
        "deliberate_indifference": "indifference to a substantial risk of serious harm to a detainee or prisoner",
        "failure_to_protect": "failure to protect a person in custody from a known risk",
        "failure_to_intervene": "failure to stop another officer's violation when there was a realistic chance",
        "political_firing": "dismissal from public employment for political affiliation",
        "due_process": "a deprivation without the process due",
        "municipal_liability": "a claim against a municipality for its policy or custom (Monell)",
        "other": "any other claim",
    },
    "Ruling": {
        "denied": "the district court denied the immunity defence",
        "granted": "it granted the defence",
        "deferred": "it has not ruled yet, or put the ruling off",
    },
    "Defense": {
        "qualified_immunity": "qualified immunity, an immunity from suit",
        "absolute_immunity": "absolute (prosecutorial, judicial, legislative, witness) immunity, an immunity from suit",
        "other_defense": "a defence to liability that is not an immunity from suit",
    },
    "Basis": {
        "factual_disputes": "the court denied immunity because genuine disputes of material fact remain",
        "ruling_of_law": "the court decided immunity as a matter of law on facts taken as given",
    },
    "Factor": {
        "crime_severity": "how serious the suspected crime was (Graham)",
        "immediate_threat": "whether the person posed an immediate threat to the officers or others (Graham)",
        "resistance": "whether he was resisting (Graham)",
        "flight": "whether he was trying to evade arrest by flight (Graham)",
        "suspected_crime": "what crime he was suspected of (Dawson)",
        "armed": "whether he was armed (Dawson)",
        "interference": "whether he was interfering with the officers (Dawson)",
        "element": "an element of the claim itself (probable cause, motive, knowledge)",
        "nothing": "none of these: the dispute moves no factor",
    },
    "Video": {
        "none": "no video of the disputed moment",
        "ambiguous": "video open to more than one reasonable reading",
        "blatantly_contradicts_plaintiff": "video that blatantly contradicts the plaintiff's version (Scott v. Harris)",
        "blatantly_contradicts_defendant": "video that blatantly contradicts the official's version",
    },
    "Prong": {
        "violation": "prong one: did the facts show a constitutional violation",
        "clearly_established": "prong two: was the right clearly established at the time",
    },
    "Reliance": {
        "essential": "the argument needs the disputed fact to succeed",
        "passing": "the argument mentions it only in passing (Estate of Williams)",
    },
    "Element": {
        "malice": "the official's malice (malicious prosecution)",
        "knowledge": "what the official knew (fabrication, Franks)",
        "retaliatory_motive": "the official's retaliatory motive (First Amendment retaliation)",
        "intent_to_seize": "whether the official meant to seize the person",
        "deliberate_indifference": "the official's subjective awareness of the risk",
        "none": "the dispute is about no subjective element of the claim",
    },
    "Memory": {
        "remembers": "the plaintiff recalls the events and testifies to his version",
        "no_memory": "the plaintiff cannot recall the events (his version rests on other evidence)",
    },
    "EvidenceKind": {
        "video": "a video recording",
        "audio": "an audio recording (a radio call, a 911 call)",
        "photograph": "a photograph",
        "document": "a document (a report, a log)",
        "forensic": "forensic evidence (ballistics, DNA, trajectory)",
        "medical_record": "a medical record or autopsy",
        "plaintiff_admission": "the plaintiff's own admission",
        "plaintiff_testimony": "the plaintiff's testimony",
        "officer_testimony": "an officer's testimony",
        "witness_testimony": "a bystander's testimony",
    },
    "Shows": {
        "blatantly_contradicts_plaintiff": "it blatantly contradicts the plaintiff's version",
        "blatantly_contradicts_defendant": "it blatantly contradicts the official's version",
        "ambiguous": "it is open to more than one reading",
        "supports_plaintiff": "it supports the plaintiff's version without settling the dispute",
        "supports_defendant": "it supports the official's version without settling the dispute",
    },
    "Covers": {
        "whole": "it covers the whole of the disputed events",
        "part": "it covers only part of them",
    },
    "LegalCore": {
        "present": "a question of law remains on the plaintiff's version ('even if ..., no clearly established law')",
        "absent": "nothing but a quarrel with the facts",
        "unknown": "the opinion does not say",
    },
    "Role": {
        "officer": "a police officer or other line official",
        "supervisor": "a supervising official",
        "prosecutor": "a prosecutor",
        "municipality": "a city, town or village",
        "county": "a county",
        "state_agency": "a state agency",
        "private_party": "a private person or company sued as a state actor",
    },
    "IssueKind": {
        "state_law_immunity": "an immunity under state law",
        "bivens_remedy": "whether a Bivens remedy exists",
        "evidentiary_ruling": "an evidentiary ruling",
        "cross_appeal": "the plaintiff's cross-appeal",
        "not_raised_below": "an argument not raised in the district court",
        "municipal_liability": "the municipality's own liability",
        "pendent_claim": "a claim that rides on the immunity appeal (pendent appellate jurisdiction)",
        "other": "any other issue",
    },
    "ForceUsed": {
        "firearm": "a gun fired",
        "taser_probe": "a taser in probe mode",
        "taser_drive_stun": "a taser in drive-stun mode",
        "k9": "a police dog",
        "takedown": "a takedown to the ground",
        "strikes": "punches, kicks or baton blows",
        "knee_restraint": "a knee on the person's back or neck",
        "prone_restraint": "restraint face down",
        "chemical_spray": "pepper or other chemical spray",
        "gun_pointing": "a gun pointed at the person",
        "handcuffing": "handcuffing",
        "vehicle": "a vehicle used as force (ramming, a PIT manoeuvre)",
        "other": "any other force",
        "unknown": "the record does not say",
    },
    "Setting": {
        "street": "a street or other public place",
        "home": "a home",
        "vehicle": "a vehicle",
        "jail": "a jail",
        "prison": "a prison",
        "school": "a school",
        "other": "anywhere else",
        "unknown": "the record does not say",
    },
    "Result": {
        "reasonable": "the force was reasonable as a matter of law on that version",
        "unreasonable": "it was unreasonable as a matter of law on that version",
        "open": "no rule settles it: a jury must find the facts",
        "violation": "(claims other than force) the plaintiff's version makes out the claim's elements as a matter of law",
        "no_violation": "(claims other than force) an element fails as a matter of law on that version",
    },
    "UnderlyingForce": {
        "reasonable": "Graham on this version finds the other officer's force reasonable",
        "unreasonable": "Graham finds it unreasonable",
        "open": "Graham leaves it to the jury",
        "unknown": "not a claim that depends on another officer's force",
    },
    "Tri": {
        "true": "the record shows it (or that version says so)",
        "false": "the record shows it was not so",
        "unknown": "the record does not say, or the parties dispute it (left out of the fact pattern)",
    },
}

_TRI = "true | false | unknown: unknown when the record does not say or the parties dispute it."

# -- facts the rules read: fact type -> field -> (sentence, example) -----------------------------
FACTS: dict[str, dict[str, Entry]] = {
    "case": {
        "": (
            "Where and when: the court of appeals, the posture below, the date of the events.",
            "case: {court: 7th-cir}",
        ),
        "court": ("The court of appeals deciding the appeal (or the Supreme Court).", "court: 7th-cir"),
        "posture": ("The stage at which immunity was decided below.", "posture: summary_judgment"),
        "appeal_from": ("Whether the appeal comes before or after final judgment.", "appeal_from: interlocutory"),
        "events_day": (
            "The date of the events as yyyymmdd (0 when unknown); rights are clearly established from a date.",
            "events_date: 2017-08-31  ->  events_day: 20170831",
        ),
    },
    "forum": {
        "": (
            "Whose practice applies: the case's own court unless a profile names another.",
            "forum: {circuit: 7th-cir}",
        ),
        "circuit": ("The court whose practice rules apply.", "circuit: 8th-cir"),
    },
    "appellant": {
        "": (
            "Who appeals: an official with an immunity from suit, or an entity with none.",
            "appellants: [{key: roe}]",
        ),
        "key": ("The appellant's name in the file (kebab-case), used by arguments and claims.", "key: officer-roe"),
        "role": ("What kind of party the appellant is; entities have no immunity from suit.", "role: municipality"),
    },
    "claim": {
        "": ("One claim in the appeal, with its own order, disputes and arguments.", "claims: [{key: force}]"),
        "key": ("The claim's name in the file (kebab-case).", "key: excessive-force"),
        "kind": ("What the plaintiff claims; only excessive force reaches the Graham rules.", "kind: excessive_force"),
        "force": ("For excessive force, whether the force was deadly.", "force: deadly"),
    },
    "unit": {
        "": ("One appellant's appeal on one claim: the part of the appeal jurisdiction is decided for.", "(derived)"),
        "claim": ("The claim.", "claim: excessive-force"),
        "appellant": ("The appellant.", "appellant: officer-roe"),
    },
    "appeal": {
        "": ("Counts over the whole appeal, for the rules that aggregate its parts.", "(derived)"),
        "units": ("How many appellant-claim parts the appeal has.", "units: 2"),
        "issues": ("How many other issues it raises.", "issues: 0"),
    },
    "order": {
        "": ("The district court's order under appeal (one per claim).", "order: {ruling: denied}"),
        "claim": ("The claim it decides.", "claim: excessive-force"),
        "ruling": ("What the district court did with the defence.", "ruling: denied"),
        "defense": ("Which defence it ruled on.", "defense: qualified_immunity"),
        "basis": ("Why it denied the defence.", "basis: factual_disputes"),
        "jury_could_find": (
            "True when the order phrased immunity as what 'a jury could find' (read as finding genuine disputes).",
            "jury_could_find: true",
        ),
    },
    "dispute": {
        "": ("One factual dispute, with each side's version and what the record shows.", "disputes: [{key: lunge}]"),
        "claim": ("The claim the dispute belongs to.", "claim: excessive-force"),
        "key": ("The dispute's name in the file, unique in the appeal.", "key: downward-movement"),
        "about": (
            "What the dispute is about, in one line (shown in explanations, never tested).",
            "about: whether he lunged",
        ),
        "video": ("What video shows of the disputed moment (Scott v. Harris).", "video: ambiguous"),
        "follows": (
            "Another dispute this one turns on: settled exactly when that one is ('none' when independent).",
            "follows: downward-movement",
        ),
        "subjective_only": (
            "True when the dispute is only about an officer's subjective reasons (immaterial under an objective test).",
            "subjective_only: true",
        ),
        "element": ("The subjective element of the claim the dispute is about, if any.", "element: retaliatory_motive"),
        "plaintiff_memory": ("Whether the plaintiff remembers the events.", "plaintiff_memory: remembers"),
        "named_by_court": ("True when the district court named this dispute as its reason.", "disputes_named: [lunge]"),
        **{
            f"bears_on_{f}": (f"True when the dispute bears on {VALUES['Factor'][f]}.", f"bears_on: [{f}]")
            for f in FACTORS
        },
    },
    "evidence": {
        "": ("One item of record evidence on a dispute, besides the `video` field.", "record: [{kind: audio}]"),
        "dispute": ("The dispute it bears on.", "dispute: downward-movement"),
        "kind": ("What the evidence is.", "kind: audio"),
        "shows": ("What it shows about the two versions.", "shows: ambiguous"),
        "covers": ("Whether it covers all the disputed events or only part.", "covers: part"),
    },
    "argument": {
        "": ("One argument an appellant makes on appeal, on one prong.", "arguments: [{key: no-violation}]"),
        "claim": ("The claim it is about.", "claim: excessive-force"),
        "appellant": ("Who makes it.", "appellant: officer-roe"),
        "key": ("The argument's name in the file, unique in the appeal.", "key: not-clearly-established"),
        "prong": ("The prong it argues.", "prong: clearly_established"),
        "accepts_plaintiff_version": (
            "True when the argument takes the plaintiff's version as given and argues the law (Plumhoff).",
            "accepts_plaintiff_version: true",
        ),
        "partial_concession": (
            "True when it accepts the plaintiff's version except on some disputes (`except:`).",
            "except: [lunge]",
        ),
        "concession_rejected": (
            "True when the court held the professed concession illusory.",
            "concession_rejected: true",
        ),
        "legal_core": ("Whether a question of law remains on the plaintiff's version.", "legal_core: present"),
    },
    "reliance": {
        "": ("An argument's use of a dispute.", "relies_on: [{dispute: lunge, reliance: essential}]"),
        "claim": ("The claim.", "claim: excessive-force"),
        "appellant": ("The appellant making the argument.", "appellant: officer-roe"),
        "argument": ("The argument.", "argument: no-violation"),
        "prong": ("The argument's prong.", "prong: violation"),
        "dispute": ("The dispute relied on.", "dispute: downward-movement"),
        "reliance": ("How much the argument needs the dispute.", "reliance: essential"),
        "excepted": ("True when the argument's concession excepts this dispute.", "except: [downward-movement]"),
    },
    "prong": {
        "": ("Each prong of qualified immunity, once per claim.", "(derived)"),
        "claim": ("The claim.", "claim: excessive-force"),
        "name": ("The prong.", "name: violation"),
    },
    "issue": {
        "": ("A question in the appeal on neither prong of qualified immunity.", "issues: [{key: state-immunity}]"),
        "key": ("The issue's name in the file.", "key: state-immunity"),
        "kind": ("What kind of issue it is.", "kind: state_law_immunity"),
        "raised_by": ("Who raises it: an appellant's key, or plaintiff.", "raised_by: officer-roe"),
        "immunity_from_suit": (
            "For a state-law immunity, whether state law makes it an immunity from suit. " + _TRI,
            "immunity_from_suit: true",
        ),
        "intertwined_with": (
            "The claim whose review necessarily resolves this issue (pendent jurisdiction), or none.",
            "intertwined_with: excessive-force",
        ),
    },
    "scene": {
        "": (
            "One version of what a reasonable officer on the scene knew (Graham, 490 U.S. at 396): the undisputed "
            "scene with each dispute resolved for one side. A field left out of the fact pattern is unknown.",
            "scene: {crime_severity: serious, believed_armed: true}",
        ),
        "version": (
            "Which version: plaintiff, or officer-on-<dispute> (that dispute taken the official's way).",
            "(derived)",
        ),
        "force": ("The claim's force (deadly, non_deadly, none).", "force: deadly"),
        "claim_kind": ("The claim's kind.", "kind: excessive_force"),
        "events_day": ("The date of the events as yyyymmdd (0 when unknown).", "events_date: 2017-08-31"),
        "circuit": ("The court of appeals.", "court: 7th-cir"),
        "crime_severity": (
            "How serious the crime the officers suspected was (Graham's first factor); judged by what they "
            "reasonably believed at the time, not by the later charge.",
            "crime_severity: minor",
        ),
        "believed_armed": (
            "Whether a reasonable officer would have believed the person armed, whether or not he was. " + _TRI,
            "believed_armed: true",
        ),
        "weapon_in_hand": (
            "Whether he was holding, touching or drawing a weapon when the force was used. " + _TRI,
            "weapon_in_hand: false",
        ),
        "shots_fired": ("Whether he had already fired shots in the encounter. " + _TRI, "shots_fired: true"),
        "endangering_others": (
            "Whether his conduct (a reckless car chase, a weapon waved at a crowd) put officers or the public at "
            "grave and immediate risk. " + _TRI,
            "endangering_others: true",
        ),
        "fleeing": (
            "True when, at the moment of force, he was moving away to evade arrest, on foot or by car (Graham's "
            "'attempting to evade arrest by flight'); false when stopped, cornered or giving up. " + _TRI,
            "fleeing: true",
        ),
        "resistance": ("How far he resisted at the moment of force (Graham's third factor).", "resistance: passive"),
        "surrendering": (
            "True when he was giving himself up: hands raised or shown empty, lying or kneeling down on command. "
            + _TRI,
            "surrendering: true",
        ),
        "threatening_movement": (
            "True when he made a movement a reasonable officer could take as reaching for or using a weapon, or as "
            "an attack (a sudden reach to the waistband, a lunge toward cover where a gun might be). " + _TRI,
            "threatening_movement: false",
        ),
        "threat_ceased": (
            "True when a threat that had justified force was over before the force complained of (the person "
            "disarmed, down, or fleeing away from everyone). " + _TRI,
            "threat_ceased: true",
        ),
        "seconds_since_threat": (
            "Seconds between the end of the threat and the force, when known.",
            "seconds_since_threat: 4",
        ),
        "restrained": (
            "Whether he was handcuffed or otherwise held when the force was used. " + _TRI,
            "restrained: true",
        ),
        "weapon_pointed": ("Whether he pointed a weapon at someone. " + _TRI, "weapon_pointed: true"),
        "in_vehicle": ("Whether he was in a vehicle. " + _TRI, "in_vehicle: true"),
        "subdued": ("Whether he was subdued (on the ground, under control). " + _TRI, "subdued: true"),
        "compliant": ("Whether he was complying with commands. " + _TRI, "compliant: true"),
        "warning_given": ("Whether the officer warned before using force. " + _TRI, "warning_given: false"),
        "warning_feasible": ("Whether a warning was feasible. " + _TRI, "warning_feasible: true"),
        "force_used": ("The kind of force used.", "force_used: taser_probe"),
        "k9_bite_seconds": (
            "How long a police dog was allowed to bite, in seconds, when known.",
            "k9_bite_seconds: 30",
        ),
        "complained_of_handcuffs": (
            "Whether he complained that the handcuffs were too tight. " + _TRI,
            "complained_of_handcuffs: true",
        ),
        "minor": ("Whether he was a minor. " + _TRI, "minor: true"),
        "mentally_ill": (
            "Whether the officers knew or should have known he was mentally ill. " + _TRI,
            "mentally_ill: true",
        ),
        "intoxicated": ("Whether he was intoxicated. " + _TRI, "intoxicated: true"),
        "medical_condition": (
            "Whether he had a medical condition the officers knew of. " + _TRI,
            "medical_condition: true",
        ),
        "setting": ("Where the events happened.", "setting: home"),
        "probable_cause": (
            "Whether there was probable cause to arrest (false arrest). " + _TRI,
            "probable_cause: false",
        ),
        "arguable_probable_cause": (
            "Whether there was at least arguable probable cause (the clearly-established prong of false arrest). "
            + _TRI,
            "arguable_probable_cause: true",
        ),
        "reasonable_suspicion": (
            "Whether there was reasonable suspicion for a stop. " + _TRI,
            "reasonable_suspicion: true",
        ),
        "stop_prolonged": ("Whether the stop was prolonged beyond its mission. " + _TRI, "stop_prolonged: true"),
        "knowing_falsity": (
            "Whether the official knew the statement or evidence was false. " + _TRI,
            "knowing_falsity: true",
        ),
        "false_statement_material": (
            "Whether the false statement was material (Franks). " + _TRI,
            "false_statement_material: true",
        ),
        "protected_activity": (
            "Whether the plaintiff engaged in protected activity (retaliation). " + _TRI,
            "protected_activity: true",
        ),
        "adverse_action": ("Whether the official took adverse action against him. " + _TRI, "adverse_action: true"),
        "substantial_risk": ("Whether there was a substantial risk of serious harm. " + _TRI, "substantial_risk: true"),
        "knew_of_risk": ("Whether the official knew of that risk. " + _TRI, "knew_of_risk: true"),
        "realistic_opportunity_to_intervene": (
            "Whether the bystander officer had a realistic opportunity to intervene. " + _TRI,
            "realistic_opportunity_to_intervene: true",
        ),
        "underlying_force": (
            "Posted by the engine for a failure-to-intervene claim: the Graham answer on this version for the force "
            "the bystander failed to stop (the claim's own scene and force).",
            "(derived)",
        ),
    },
    "merits": {
        "": (
            "The merits on the plaintiff's version of a claim (posted before materiality): Graham for force, the claim "
            "rules (rules/claims/merits.yaml) for the other kinds.",
            "(derived)",
        ),
        "claim": ("The claim.", "claim: excessive-force"),
        "result": ("The answer.", "result: unreasonable"),
        "rule": ("The first merits rule that gave it.", "rule: merits.graham.deadly.surrendering_suspect"),
    },
    "clearly_established": {
        "": ("The rights rules on the plaintiff's version of a claim.", "(derived)"),
        "claim": ("The claim.", "claim: excessive-force"),
        "established": (
            "True when a right clearly established on the date of the events governs that version.",
            "established: true",
        ),
        "right": ("The right (none when no right applies).", "right: deadly_force_on_surrendering_suspect"),
        "decisive": (
            "False when no entry of the rights table matched (unknown, not a holding); true when a right matched "
            "or a decision held that no right was clearly established for facts like these.",
            "decisive: true",
        ),
    },
    "counterfactual": {
        "": (
            "Both evaluations of one dispute on one prong: resolved for the plaintiff, then for the official.",
            "(derived)",
        ),
        "claim": ("The claim.", "claim: excessive-force"),
        "dispute": ("The dispute.", "dispute: downward-movement"),
        "prong": ("The prong compared.", "prong: violation"),
        "plaintiff_result": (
            "The answer with the dispute resolved for the plaintiff.",
            "plaintiff_result: unreasonable",
        ),
        "defendant_result": ("The answer with it resolved for the official.", "defendant_result: reasonable"),
        "differs": ("True when the two answers differ.", "differs: true"),
        "decided": (
            "False when neither version is settled by a rule (both fall to a default: Graham open, no right matched).",
            "decided: true",
        ),
        "plaintiff_rule": (
            "The rule that gave the plaintiff-side answer.",
            "plaintiff_rule: merits.graham.open_question",
        ),
        "defendant_rule": (
            "The rule that gave the official-side answer.",
            "defendant_rule: merits.graham.open_question",
        ),
    },
}

# Closed-set fields and the value set each draws from (booleans and tri-states use `Tri`).
VALUE_SET: dict[str, str] = {
    "case.court": "Court",
    "case.posture": "Posture",
    "case.appeal_from": "AppealFrom",
    "forum.circuit": "Court",
    "appellant.role": "Role",
    "claim.kind": "ClaimKind",
    "claim.force": "Force",
    "order.ruling": "Ruling",
    "order.defense": "Defense",
    "order.basis": "Basis",
    "dispute.video": "Video",
    "dispute.element": "Element",
    "dispute.plaintiff_memory": "Memory",
    "evidence.kind": "EvidenceKind",
    "evidence.shows": "Shows",
    "evidence.covers": "Covers",
    "argument.prong": "Prong",
    "argument.legal_core": "LegalCore",
    "reliance.prong": "Prong",
    "reliance.reliance": "Reliance",
    "prong.name": "Prong",
    "issue.kind": "IssueKind",
    "scene.force": "Force",
    "scene.claim_kind": "ClaimKind",
    "scene.circuit": "Court",
    "scene.crime_severity": "Severity",
    "scene.resistance": "Resistance",
    "scene.force_used": "ForceUsed",
    "scene.setting": "Setting",
    "merits.result": "Result",
    "scene.underlying_force": "UnderlyingForce",
    "counterfactual.prong": "Prong",
}

# -- the fact-pattern model (what a user writes), keyed by model and field --------------------------
# An entry is a sentence and example, or the fact field whose words it shares ("scene.fleeing").
MODEL: dict[str, Entry | str] = {
    "FactPattern.case": ("Where and when the appeal arises.", "case: {court: 7th-cir}"),
    "FactPattern.claim": (
        "The claim of a single-claim appeal (format 1); use `claims` for several.",
        "claim: {kind: excessive_force}",
    ),
    "FactPattern.order": ("The order under appeal, for every claim without its own.", "order: {ruling: denied}"),
    "FactPattern.disputes": ("The disputes of a single-claim appeal.", "disputes: [{key: lunge, about: ...}]"),
    "FactPattern.arguments": ("The arguments of a single-claim appeal.", "arguments: [{key: a, prong: violation}]"),
    "FactPattern.scene": (
        "Undisputed facts a reasonable officer knew, shared by all claims.",
        "scene: {fleeing: false}",
    ),
    "FactPattern.appellants": (
        "Who appeals; omit for a single officer or officers acting alike.",
        "appellants: [{key: roe}]",
    ),
    "FactPattern.claims": (
        "The claims of an appeal with several (format 2).",
        "claims: [{key: force, kind: excessive_force}]",
    ),
    "FactPattern.issues": (
        "Questions on neither prong of qualified immunity.",
        "issues: [{key: x, kind: other, raised_by: roe}]",
    ),
    "Case.name": ("The case name, for display only (no rule reads it).", "name: Smith v. Finkley"),
    "Case.citation": ("The citation, for display only.", "citation: 10 F.4th 725 (7th Cir. 2021)"),
    "Case.court": "case.court",
    "Case.events_date": ("The date of the events (YYYY-MM-DD).", "events_date: 2017-08-31"),
    "Case.posture": "case.posture",
    "Case.appeal_from": "case.appeal_from",
    "Appellant.key": "appellant.key",
    "Appellant.name": ("The appellant's name, for display only.", "name: Officer Roe"),
    "Appellant.role": "appellant.role",
    "Claim.key": "claim.key",
    "Claim.kind": "claim.kind",
    "Claim.force": "claim.force",
    "Claim.against": (
        "The appellants this claim is pressed against on appeal (default: all).",
        "against: [officer-roe]",
    ),
    "Claim.order": ("This claim's own order, when it differs from the appeal's.", "order: {ruling: granted}"),
    "Claim.scene": ("Facts only this claim needs, laid over the shared scene.", "scene: {probable_cause: false}"),
    "Claim.disputes": ("The claim's disputes.", "disputes: [{key: lunge, about: ...}]"),
    "Claim.arguments": ("The arguments on this claim.", "arguments: [{key: a, prong: violation}]"),
    "Order.ruling": "order.ruling",
    "Order.defense": "order.defense",
    "Order.basis": "order.basis",
    "Order.disputes_named": (
        "The disputes the district court named as its reason.",
        "disputes_named: [downward-movement]",
    ),
    "Order.jury_could_find": "order.jury_could_find",
    "Dispute.key": "dispute.key",
    "Dispute.about": "dispute.about",
    "Dispute.plaintiff_version": (
        "The plaintiff's version, in words (display only).",
        "plaintiff_version: he leaned down",
    ),
    "Dispute.defendant_version": ("The official's version, in words (display only).", "defendant_version: he lunged"),
    "Dispute.bears_on": (
        "The Graham/Dawson factors, or the element, the dispute bears on.",
        "bears_on: [immediate_threat]",
    ),
    "Dispute.subjective_only": "dispute.subjective_only",
    "Dispute.element": "dispute.element",
    "Dispute.video": "dispute.video",
    "Dispute.record": ("Record evidence on the dispute besides video.", "record: [{kind: audio, shows: ambiguous}]"),
    "Dispute.plaintiff_memory": "dispute.plaintiff_memory",
    "Dispute.follows": "dispute.follows",
    "Dispute.plaintiff_scene": (
        "How the plaintiff's version sets scene fields.",
        "plaintiff_scene: {surrendering: true}",
    ),
    "Dispute.defendant_scene": (
        "How the official's version sets them.",
        "defendant_scene: {threatening_movement: true}",
    ),
    "Evidence.kind": "evidence.kind",
    "Evidence.shows": "evidence.shows",
    "Evidence.covers": "evidence.covers",
    "Argument.key": "argument.key",
    "Argument.prong": "argument.prong",
    "Argument.appellant": ("Who makes it; required when there are several appellants.", "appellant: officer-roe"),
    "Argument.summary": (
        "The argument in one line, as the opinion describes the brief (display only).",
        "summary: ...",
    ),
    "Argument.accepts_plaintiff_version": "argument.accepts_plaintiff_version",
    "Argument.except": ("Disputes the argument does not concede, though it accepts the rest.", "except: [lunge]"),
    "Argument.concession_rejected": "argument.concession_rejected",
    "Argument.legal_core": "argument.legal_core",
    "Argument.relies_on": ("The disputes the argument uses, and how much.", "relies_on: [{dispute: lunge}]"),
    "RelianceLink.dispute": "reliance.dispute",
    "RelianceLink.reliance": "reliance.reliance",
    "Issue.key": "issue.key",
    "Issue.kind": "issue.kind",
    "Issue.raised_by": "issue.raised_by",
    "Issue.about": ("The issue in one line (display only).", "about: state-law immunity"),
    "Issue.immunity_from_suit": "issue.immunity_from_suit",
    "Issue.intertwined_with": "issue.intertwined_with",
    "Scene.suspected_crime": (
        "The crime suspected, in words (display only). Rules read crime_severity instead: a free-text name "
        "cannot be a closed set, and the engine must not turn on labels.",
        "suspected_crime: armed robbery",
    ),
}


# -- factors (rules/factors/): the derived fact `factor` and the closed set of its names ------------
# Rules in stage `factor` assert `factor {name, favours, claim, subject}`; lint refuses a name not listed
# here, or one asserted with two different `favours`. `appealable precedents` compares cases on them.
FACTOR_FACT: dict[str, Entry] = {
    "": (
        "A feature of the appeal on which decided cases are compared (HYPO, CATO); it decides nothing.",
        "factor: {name: ambiguous_video, favours: dismissed, claim: excessive-force, subject: lunge}",
    ),
    "name": ("Which feature (one of the names below).", "name: accepts_plaintiff_version"),
    "favours": (
        "Which side the feature helps: reviewable (heard now), dismissed, or neither (it only describes).",
        "favours: reviewable",
    ),
    "claim": ("The claim it belongs to, or none for the appeal as a whole.", "claim: excessive-force"),
    "subject": ("The dispute, argument, claim, appellant or practice it is about.", "subject: downward-movement"),
}
FACTOR_NAMES: dict[str, str] = {
    "video_contradicts_plaintiff": "a video blatantly contradicts the plaintiff's version of a dispute",
    "video_contradicts_defendant": "a video blatantly contradicts the official's version of a dispute",
    "record_settles_dispute": "record evidence other than video (or the plaintiff's admission) settles a dispute",
    "ambiguous_video": "a video open to more than one reading leaves a dispute genuine",
    "relies_on_genuine_material_dispute": "an argument needs the official's version of a genuine, material dispute",
    "accepts_plaintiff_version": "an argument accepts the plaintiff's version and argues the law",
    "reliance_in_passing": "an argument mentions a disputed fact only in passing",
    "dispute_immaterial": "an argument relies on a dispute whose resolution would not change the prong's answer",
    "legal_core_present": "a question of law remains on the plaintiff's version of the argument",
    "factual_quarrel": "the argument is nothing but a quarrel with the facts",
    "clearly_established_argued": "an argument on the clearly-established prong",
    "violation_argued": "an argument on the violation prong",
    "subjective_element_disputed": "a genuine dispute over an element of the claim (motive, knowledge, intent)",
    "deadly_force": "the claim is of deadly force",
    "weapon_in_hand": "on the plaintiff's version the suspect held a weapon",
    "surrender": "on the plaintiff's version the suspect was surrendering",
    "order_rests_on_law": "the order under appeal rests on a ruling of law",
    "order_rests_on_disputes": "the order under appeal rests on disputes of fact (what a jury could find)",
    "practice_sets_facts_aside": "the court's practice is to set factual contentions aside and decide the law",
    "practice_holds_to_plaintiff_facts": "the court holds appellants to the plaintiff's facts",
    "municipality_appellant": "a municipality or county appeals (it has no immunity from suit)",
}
FAVOURS = ("reviewable", "dismissed", "neither")


def model_entry(path: str) -> Entry | None:
    """The words for a model field (`Scene.fleeing`): its own entry, or the fact field it shares."""
    entry = MODEL.get(path)
    if entry is None and path.startswith("Scene."):
        entry = f"scene.{path.split('.', 1)[1]}"
    if isinstance(entry, str):
        fact, field = entry.split(".", 1)
        return FACTS.get(fact, {}).get(field)
    return entry
