import Testing

/// GreaterThan/LessThan(OrEquals) over numbers, numeric strings, durations, quantities and semantic
/// versions, and the deprecated Duration* operators.
@Suite struct OrderingOperatorTests {
    @Test(arguments: [
        OperatorCase("3", "GreaterThan", "2", true),
        OperatorCase("2", "GreaterThan", "2", false),
        OperatorCase("2", "GreaterThanOrEquals", "2", true),
        OperatorCase("1.5", "GreaterThanOrEquals", "2", false),
        OperatorCase("1", "LessThan", "2", true),
        OperatorCase("2", "LessThan", "2", false),
        OperatorCase("2", "LessThanOrEquals", "2", true),
        OperatorCase("3", "LessThanOrEquals", "2", false),
        OperatorCase(#""10""#, "GreaterThan", #""9""#, true),
        OperatorCase(#""10""#, "GreaterThan", "9", true),
        OperatorCase("10", "LessThan", #""9.5""#, false),
        OperatorCase("0", "LessThan", #""1""#, true),
        OperatorCase(#""2Gi""#, "GreaterThan", #""1500Mi""#, true),
        OperatorCase(#""500m""#, "LessThan", #""1""#, true),
        OperatorCase(#""1Gi""#, "LessThanOrEquals", #""1G""#, false),
        OperatorCase(#""2h""#, "GreaterThan", #""90m""#, true),
        OperatorCase(#""30m""#, "GreaterThan", #""1h""#, false),
        OperatorCase(#""30m""#, "LessThan", "3600", true),
        OperatorCase("7200", "GreaterThan", #""1h""#, true),
        OperatorCase(#""1.10.0""#, "GreaterThan", #""1.9.3""#, true),
        OperatorCase(#""1.2.0-rc.1""#, "LessThan", #""1.2.0""#, true),
        OperatorCase(#""1.2.0""#, "LessThan", #""1.2.0-rc.1""#, false),
        OperatorCase(#""1.2.0-rc.2""#, "GreaterThan", #""1.2.0-rc.10""#, false),
        OperatorCase(#""2.0.0+build.7""#, "GreaterThanOrEquals", #""2.0.0""#, true),
        OperatorCase(#""abc""#, "GreaterThan", "1", false),
        OperatorCase(#""abc""#, "LessThan", "1", false),
        OperatorCase("true", "GreaterThan", "0", false),
        OperatorCase("[3]", "GreaterThan", "2", false),
        OperatorCase("null", "LessThan", "2", false),
        OperatorCase("5", "greaterthan", "4", true),
    ])
    func numeric(_ testCase: OperatorCase) throws { try testCase.check() }

    @Test(arguments: [
        OperatorCase(#""2h""#, "DurationGreaterThan", #""1h""#, true),
        OperatorCase(#""1h""#, "DurationGreaterThan", #""1h""#, false),
        OperatorCase(#""1h""#, "DurationGreaterThanOrEquals", #""60m""#, true),
        OperatorCase(#""59m""#, "DurationGreaterThanOrEquals", #""1h""#, false),
        OperatorCase(#""300ms""#, "DurationLessThan", #""1s""#, true),
        OperatorCase(#""1.5s""#, "DurationLessThan", #""1s""#, false),
        OperatorCase(#""1h30m""#, "DurationLessThanOrEquals", "5400", true),
        OperatorCase("5401", "DurationLessThanOrEquals", #""1h30m""#, false),
        OperatorCase(#""0""#, "DurationLessThan", #""1ns""#, true),
        OperatorCase(#""soon""#, "DurationLessThan", #""1h""#, false),
        OperatorCase(#""1h""#, "DurationLessThan", #""1 hour""#, false),
        OperatorCase(#""5""#, "DurationLessThan", #""1h""#, false),
    ])
    func durations(_ testCase: OperatorCase) throws { try testCase.check() }
}
