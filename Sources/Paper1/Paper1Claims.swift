import Results

/// Paper 1's claims as rules over cells.
public enum Paper1Claims {
    /// Paper 1's claims over cells "p1/<setting>-<method>" on domains city, synth, bdd, mean.
    ///
    /// 1. semi > supervised for each domain (and the mean) in both settings (8 claims);
    /// 2. multi-semi > single-semi on BDD100K, the hardest domain (1 claim);
    /// 3. difficulty order per cell: synth > city and city > bdd (8 claims).
    public static func all(metric: String = "miou") -> [Claim] {
        func key(_ s: Paper1Setting, _ m: Paper1Method, _ d: Paper1Domain) -> SeriesKey {
            SeriesKey(cell: cellName(s, m), domain: d.rawValue, metric: metric)
        }
        func paper(_ s: Paper1Setting, _ m: Paper1Method, _ d: Paper1Domain) -> Double {
            Paper1Table.paper1(s, m, d)
        }
        var claims: [Claim] = []
        for setting in Paper1Setting.allCases {
            for domain in Paper1Domain.allCases {
                claims.append(
                    Claim(
                        id: "semi>supervised/\(setting.rawValue)/\(domain.rawValue)",
                        statement:
                            "\(setting.rawValue)-domain: semi-supervised beats supervised on \(domain.rawValue)",
                        a: key(setting, .semi, domain), b: key(setting, .supervised, domain),
                        direction: .greater,
                        paperA: paper(setting, .semi, domain),
                        paperB: paper(setting, .supervised, domain)))
            }
        }
        claims.append(
            Claim(
                id: "multi>single/semi/bdd",
                statement:
                    "semi-supervised: multi-domain beats single-domain on bdd (paper: +9.22 points)",
                a: key(.multi, .semi, .bdd), b: key(.single, .semi, .bdd), direction: .greater,
                paperA: paper(.multi, .semi, .bdd), paperB: paper(.single, .semi, .bdd)))
        for setting in Paper1Setting.allCases {
            for method in Paper1Method.allCases {
                let cell = cellName(setting, method)
                for (easier, harder) in [(Paper1Domain.synth, Paper1Domain.city), (.city, .bdd)] {
                    claims.append(
                        Claim(
                            id: "\(easier.rawValue)>\(harder.rawValue)/\(cell)",
                            statement:
                                "\(cell): \(easier.rawValue) is easier than \(harder.rawValue)",
                            a: key(setting, method, easier), b: key(setting, method, harder),
                            direction: .greater,
                            paperA: paper(setting, method, easier),
                            paperB: paper(setting, method, harder)))
                }
            }
        }
        return claims
    }
}
