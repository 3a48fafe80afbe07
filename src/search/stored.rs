//! Stored: a hit's stored fields, read straight from the document store into owned values.
//!
//! Why not `TantivyDocument`: it first packs every value into its compact node buffer, and each
//! string was then copied out of it again to build the hit — about two thirds of the time spent
//! loading a page of hits (callgrind, ten hits of a one-word query on Reuters ×30). Here each
//! stored string is allocated once and moved into the hit.

use tantivy::schema::document::{
    ArrayAccess, DeserializeError, DocumentDeserialize, DocumentDeserializer, ObjectAccess,
    ValueDeserialize, ValueDeserializer, ValueVisitor,
};
use tantivy::schema::{Facet, Field};
use tantivy::tokenizer::PreTokenizedString;
use tantivy::DateTime;

/// The stored values of one document, in store order.
#[derive(Debug, Default)]
pub struct StoredDoc {
    values: Vec<(Field, StoredValue)>,
}

/// One stored value, as much of it as a hit shows.
#[derive(Debug)]
enum StoredValue {
    Text(String),
    Date(DateTime),
    /// Numbers and anything else a hit does not show.
    Other,
}

impl StoredDoc {
    /// Takes the first text value of `field`, leaving an empty string in its place.
    pub fn take_text(&mut self, field: Field) -> Option<String> {
        self.values.iter_mut().find_map(|(f, value)| match value {
            StoredValue::Text(text) if *f == field => Some(std::mem::take(text)),
            _ => None,
        })
    }

    /// Takes every text value of `field`, in stored order.
    pub fn take_all_text(&mut self, field: Field) -> Vec<String> {
        self.values
            .iter_mut()
            .filter_map(|(f, value)| match value {
                StoredValue::Text(text) if *f == field => Some(std::mem::take(text)),
                _ => None,
            })
            .collect()
    }

    /// The first date value of `field`.
    pub fn date(&self, field: Field) -> Option<DateTime> {
        self.values.iter().find_map(|(f, value)| match value {
            StoredValue::Date(date) if *f == field => Some(*date),
            _ => None,
        })
    }
}

impl DocumentDeserialize for StoredDoc {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(entry) = deserializer.next_field::<StoredValue>()? {
            values.push(entry);
        }
        Ok(StoredDoc { values })
    }
}

impl ValueDeserialize for StoredValue {
    fn deserialize<'de, D>(deserializer: D) -> Result<Self, DeserializeError>
    where
        D: ValueDeserializer<'de>,
    {
        deserializer.deserialize_any(Visitor)
    }
}

/// Keeps strings and dates; reads past every other kind of value.
struct Visitor;

impl ValueVisitor for Visitor {
    type Value = StoredValue;

    fn visit_null(&self) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }

    fn visit_string(&self, text: String) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Text(text))
    }

    fn visit_u64(&self, _: u64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }

    fn visit_i64(&self, _: i64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }

    fn visit_f64(&self, _: f64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }

    fn visit_bool(&self, _: bool) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }

    fn visit_datetime(&self, date: DateTime) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Date(date))
    }

    fn visit_ip_address(&self, _: std::net::Ipv6Addr) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }

    fn visit_facet(&self, _: Facet) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }

    fn visit_bytes(&self, _: Vec<u8>) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }

    fn visit_pre_tokenized_string(
        &self,
        text: PreTokenizedString,
    ) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Text(text.text))
    }

    fn visit_array<'de, A>(&self, mut access: A) -> Result<StoredValue, DeserializeError>
    where
        A: ArrayAccess<'de>,
    {
        while access.next_element::<StoredValue>()?.is_some() {}
        Ok(StoredValue::Other)
    }

    fn visit_object<'de, A>(&self, mut access: A) -> Result<StoredValue, DeserializeError>
    where
        A: ObjectAccess<'de>,
    {
        while access.next_entry::<StoredValue>()?.is_some() {}
        Ok(StoredValue::Other)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{Schema, STORED, TEXT};
    use tantivy::{doc, Index, TantivyDocument};

    use super::*;

    /// Every text and date value comes back as `TantivyDocument` reads it; numbers are skipped.
    #[test]
    fn reads_what_the_store_holds() -> tantivy::Result<()> {
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT | STORED);
        let count = builder.add_u64_field("count", STORED);
        let names = builder.add_text_field("names", STORED);
        let date = builder.add_date_field("date", STORED);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let when = DateTime::from_timestamp_secs(1_700_000_000);
        writer.add_document(doc!(
            title => "Grain exports rise",
            count => 42u64,
            names => "Ann Lee",
            names => "Bo Chan",
            date => when,
        ))?;
        writer.add_document(doc!(count => 7u64))?;
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let first = tantivy::DocAddress::new(0, 0);
        let mut stored: StoredDoc = searcher.doc(first)?;
        let full: TantivyDocument = searcher.doc(first)?;
        assert_eq!(full.field_values().count(), 5);
        assert_eq!(stored.date(date), Some(when));
        assert_eq!(stored.take_all_text(names), ["Ann Lee", "Bo Chan"]);
        assert_eq!(
            stored.take_text(title).as_deref(),
            Some("Grain exports rise")
        );
        assert_eq!(stored.take_text(count), None);
        let mut bare: StoredDoc = searcher.doc(tantivy::DocAddress::new(0, 1))?;
        assert_eq!(bare.take_text(title), None);
        assert_eq!(bare.date(date), None);
        assert!(bare.take_all_text(names).is_empty());
        Ok(())
    }
}
