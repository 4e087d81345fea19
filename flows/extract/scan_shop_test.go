package extract

// demoShop is a shop like the demo's: phones, laptops, TVs and small
// appliances of a few brands, order numbers "SP-" and six digits, and a
// buyer choice.
var demoShop = NewShop(Catalogue{
	Products: []Product{
		{ID: "galaxy-a55", Name: "Samsung Galaxy A55", Category: "phone", Synonyms: []string{"galaxy a55", "samsung a55", "a55"}},
		{ID: "iphone-15", Name: "Apple iPhone 15", Category: "phone", Synonyms: []string{"iphone 15", "iphone"}},
		{ID: "pixel-8", Name: "Google Pixel 8", Category: "phone", Synonyms: []string{"pixel 8", "pixel", "google pixel"}},
		{ID: "thinkpad-e14", Name: "Lenovo ThinkPad E14", Category: "laptop", Synonyms: []string{"thinkpad", "thinkpad e14", "lenovo thinkpad"}},
		{ID: "macbook-air", Name: "Apple MacBook Air 13", Category: "laptop", Synonyms: []string{"macbook air", "macbook", "mac"}},
		{ID: "pavilion-15", Name: "HP Pavilion 15", Category: "laptop", Synonyms: []string{"pavilion", "hp pavilion", "pavilion 15"}},
		{ID: "samsung-qled-55", Name: `Samsung QLED 55" Q60`, Category: "tv", Synonyms: []string{"qled", "samsung qled", "q60"}},
		{ID: "lg-oled-55", Name: `LG OLED 55" C3`, Category: "tv", Synonyms: []string{"oled", "lg oled", "c3", "lg"}},
		{ID: "sony-bravia-43", Name: `Sony Bravia 43" X75`, Category: "tv", Synonyms: []string{"bravia", "sony bravia", "sony"}},
		{ID: "delonghi-magnifica", Name: "De'Longhi Magnifica S", Category: "appliance", Synonyms: []string{"magnifica", "delonghi", "de longhi"}},
		{ID: "dyson-v8", Name: "Dyson V8", Category: "appliance", Synonyms: []string{"dyson", "dyson v8", "v8"}},
		{ID: "philips-airfryer", Name: "Philips Airfryer XL", Category: "appliance", Synonyms: []string{"airfryer", "philips airfryer", "friggitrice philips", "philips air fryer"}},
	},
	Categories: []Option{
		{Value: "phone", Synonyms: []string{"Smartphone", "telefono", "telefonino", "cellulare", "smartphone", "telefoni", "cellulari", "phone", "mobile", "cell phone", "phones", "mobiles"}},
		{Value: "laptop", Synonyms: []string{"Portatile", "Laptop", "portatile", "portatili", "notebook", "computer portatile", "pc portatile", "laptop", "computer", "pc", "laptops"}},
		{Value: "tv", Synonyms: []string{"Televisore", "TV", "televisore", "televisori", "tv", "tivù", "televisione", "smart tv", "television", "telly", "tvs"}},
		{Value: "appliance", Synonyms: []string{"Piccoli elettrodomestici", "Small appliances", "elettrodomestico", "elettrodomestici", "macchina del caffè", "macchina da caffè", "aspirapolvere", "friggitrice", "appliance", "appliances", "coffee machine", "coffee maker", "vacuum cleaner", "hoover", "air fryer"}},
	},
	Choices: map[string][]Option{
		"buyer": {
			{Value: "consumer", Synonyms: []string{"Privato", "Private customer", "privato", "privata", "persona fisica", "per me", "uso personale", "consumatore", "regalo", "per casa", "private", "consumer", "personal", "for myself", "for me", "individual", "for home", "gift"}},
			{Value: "business", Synonyms: []string{"Azienda", "Business", "azienda", "ditta", "società", "partita iva", "p iva", "fattura", "ufficio", "professionista", "studio", "negozio", "business", "company", "firm", "vat number", "invoice", "office", "self-employed", "professional"}},
		},
	},
	Orders: []OrderFormat{{Prefix: "SP", Digits: 6, Sep: "-"}},
})
