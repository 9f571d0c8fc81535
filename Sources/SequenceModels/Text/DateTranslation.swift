/// A synthetic translation task: dates written the way people write them, to ISO 8601 (`yyyy-mm-dd`).
///
/// Sources use several formats, such as "saturday, 14 march 2020", "the 14th of march, 2020",
/// "14/03/2020" and "mar 14, 2020", all lowercase, between 1950 and 2049. The target is always ten
/// characters, such as "2020-03-14", so targets in a batch have equal lengths.
public enum DateTranslation {
    static let months = ["january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december"]
    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// One (human-readable, ISO) pair drawn from `generator`.
    public static func example(using generator: inout SeededGenerator) -> (source: String, target: String) {
        let year = 1950 + generator.nextIndex(below: 100)
        let month = 1 + generator.nextIndex(below: 12)
        let day = 1 + generator.nextIndex(below: daysIn(month: month, year: year))
        let name = months[month - 1], short = String(name.prefix(3))
        let weekday = weekdays[weekdayIndex(year: year, month: month, day: day)]
        func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let ordinal = "\(day)" + (day % 100 / 10 == 1 ? "th" : ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][day % 10])
        let formats = [
            "\(day) \(name) \(year)",
            "\(name) \(day), \(year)",
            "\(twoDigits(day))/\(twoDigits(month))/\(year)",
            "\(short) \(day), \(year)",
            "\(weekday), \(day) \(name) \(year)",
            "the \(ordinal) of \(name), \(year)",
            "\(weekday) the \(ordinal) of \(name) \(year)",
            "\(day).\(month).\(year)",
        ]
        return (formats[generator.nextIndex(below: formats.count)], "\(year)-\(twoDigits(month))-\(twoDigits(day))")
    }

    static func daysIn(month: Int, year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// 0 for Monday … 6 for Sunday, by Zeller's congruence.
    static func weekdayIndex(year: Int, month: Int, day: Int) -> Int {
        let (m, y) = month < 3 ? (month + 12, year - 1) : (month, year)
        let h = (day + 13 * (m + 1) / 5 + y % 100 + (y % 100) / 4 + (y / 100) / 4 + 5 * (y / 100)) % 7   // 0 = Saturday
        return (h + 5) % 7
    }
}
