using SkiaSharp;
using Reader.CardFace.Reading;
using Reader.CardFace.Recognition;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.CardFace;
using Reader.Imaging;
using Reader.Imaging.Codecs;

namespace Reader.CardFace.Tests;

/// <summary>Both OCR engines, loaded once each: PP-OCRv4 on ONNX Runtime (the product's) and Tesseract 5 (the measured alternative).</summary>
public sealed class EngineFixture : IDisposable
{
    private readonly Dictionary<string, ITextLineRecognizer> _engines = [];
    private readonly Dictionary<string, string> _missing = [];

    public EngineFixture()
    {
        foreach (var name in new[] { "paddle", "tesseract" })
        {
            try
            {
                _engines[name] = name == "tesseract"
                    ? TesseractLineRecognizer.Create()
                    : PaddleLineRecognizer.Create(Reader.Vision.VisionOptions.LocateModelDirectory() ?? throw new TextRecognizerUnavailableException("no model cache (./reader fetches ocr_rec.onnx into .cache/models)"));
            }
            catch (TextRecognizerUnavailableException e)
            {
                _missing[name] = e.Message;
            }
        }
    }

    public ITextLineRecognizer Engine(string name)
    {
        Assert.True(_engines.ContainsKey(name), _missing.GetValueOrDefault(name) ?? name + ": no such engine (./reader test installs libtesseract5, tesseract-ocr-jpn and the models)");
        return _engines[name];
    }

    public void Dispose()
    {
        foreach (var engine in _engines.Values)
        {
            engine.Dispose();
        }
    }
}

/// <summary>
/// The real scanner (locate, deskew, layout, each OCR engine, gate) on card faces drawn by the simulator's card-face camera,
/// and on frames that are not a My Number Card: those must never give a 照合番号B.
/// </summary>
public sealed class RenderedCardTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));

    [Theory]
    [InlineData("paddle", false)]
    [InlineData("paddle", true)]
    [InlineData("tesseract", false)]
    [InlineData("tesseract", true)]
    public void Carefully_placed_cards_are_read_exactly_within_three_looks(string engine, bool foreignResident)
    {
        var scanner = Scanner(engine);
        var random = new Random(foreignResident ? 11 : 5);
        for (var i = 0; i < 6; i++)
        {
            var (printed, _) = SyntheticPerson.Make(random, Today, foreignResident);
            using var artwork = CardFaceArtwork.Draw(printed, null, TrayCamera.ArtworkPixelsPerMm, i);
            var placement = CardFaceScenePlanner.Plan(CardFaceEffects.Clean, random);
            var accepted = false;
            for (var frame = 0; frame < 3 && !accepted; frame++)
            {
                using var image = TrayCamera.Render(artwork, placement, frame);
                using var reading = scanner.Read(image, Today);
                if (reading.Problem == CardFaceProblem.None)
                {
                    Assert.True(reading.CodeBEquals(printed.CodeB), "an accepted read must be the card's 照合番号B");
                    Assert.Equal(foreignResident, reading.GregorianBirthDate);
                    accepted = true;
                }
            }

            Assert.True(accepted, $"card {i} was not read in three looks");
        }
    }

    /// <summary>Every era the living are born in, with 元年 and the era changes (PP-OCR's Chinese model reads 令 as 今).</summary>
    [Theory]
    [InlineData("paddle")]
    [InlineData("tesseract")]
    public void Every_era_and_its_first_year_are_read(string engine)
    {
        var scanner = Scanner(engine);
        var random = new Random(41);
        var births = new[] { new DateOnly(1950, 6, 15), new DateOnly(1989, 1, 7), new DateOnly(1989, 1, 8), new DateOnly(2019, 4, 30), new DateOnly(2019, 5, 1), new DateOnly(2021, 11, 22) };
        foreach (var birth in births)
        {
            var issued = Today.AddDays(-100);
            var adult = birth.AddYears(18) <= issued;
            var printed = new PrintedCardFace(birth, SyntheticPerson.NthBirthdayAfter(birth, issued, adult ? 10 : 5), "4821", '1');
            using var artwork = CardFaceArtwork.Draw(printed, null, TrayCamera.ArtworkPixelsPerMm, 1);
            var placement = CardFaceScenePlanner.Plan(CardFaceEffects.Clean, random);
            var accepted = false;
            for (var frame = 0; frame < 3 && !accepted; frame++)
            {
                using var image = TrayCamera.Render(artwork, placement, frame);
                using var reading = scanner.Read(image, Today);
                accepted = reading.Problem == CardFaceProblem.None;
                Assert.True(!accepted || reading.CodeBEquals(printed.CodeB), $"born {birth}: an accepted read must be the card's 照合番号B");
            }

            Assert.True(accepted, $"born {birth}: not read in three looks");
        }
    }

    [Theory]
    [InlineData("paddle")]
    [InlineData("tesseract")]
    public void An_empty_tray_is_no_card_and_a_heavily_blurred_card_asks_for_a_replacement(string engine)
    {
        var scanner = Scanner(engine);
        using (var empty = TrayCamera.RenderEmpty(0))
        using (var reading = scanner.Read(empty, Today))
        {
            Assert.Equal(CardFaceProblem.NoCard, reading.Problem);
        }

        var (printed, _) = SyntheticPerson.Make(new Random(3), Today);
        using var artwork = CardFaceArtwork.Draw(printed, null, TrayCamera.ArtworkPixelsPerMm, 3);
        using var blurred = TrayCamera.Render(artwork, CardFaceScenePlanner.Plan(CardFaceEffects.Parse("blur=6"), new Random(3)), 0);
        using var unreadable = scanner.Read(blurred, Today);
        Assert.NotEqual(CardFaceProblem.None, unreadable.Problem);
    }

    [Theory]
    [InlineData("paddle")]
    [InlineData("tesseract")]
    public void Fuzz_noise_blank_frames_another_card_and_a_face_never_give_a_code(string engine)
    {
        var scanner = Scanner(engine);
        var random = new Random(2026);
        var frames = new List<PixelBuffer>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var noise = PixelBuffer.Rent(1280, 960, PixelFormat.Rgb24);
                random.NextBytes(noise.Pixels);
                frames.Add(noise);
            }

            foreach (var level in new byte[] { 0, 128, 255 })
            {
                var blank = PixelBuffer.Rent(1280, 960, PixelFormat.Grey8);
                blank.Pixels.Fill(level);
                frames.Add(blank);
            }

            // Another card on the tray: ID-1 sized, with text where a My Number Card has its dates.
            for (var i = 0; i < 4; i++)
            {
                using var other = OtherCard(i);
                frames.Add(TrayCamera.Render(other, CardFaceScenePlanner.Plan(CardFaceEffects.Clean, random), 0));
            }

            // A photo of a face held over the tray: part of the proof, so its absence fails rather than shrinks the set.
            var portrait = CardPhoto.DefaultPortrait();
            Assert.True(portrait is not null, "no portrait at .cache/images/astronaut.png (./reader test fetches it)");
            frames.Add(ImageDecoder.Decode(File.ReadAllBytes(portrait)));

            foreach (var frame in frames)
            {
                using var reading = scanner.Read(frame, Today);
                Assert.NotEqual(CardFaceProblem.None, reading.Problem);
                Assert.Null(reading.TakeCodeB());
            }
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    private CardFaceScanner Scanner(string engine) => new(fixture.Engine(engine));

    /// <summary>A loyalty card: same size, other text, dates that are not a My Number Card's lines.</summary>
    private static SKBitmap OtherCard(int seed)
    {
        var bitmap = new SKBitmap(new SKImageInfo((int)(85.6 * 12), 54 * 12, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(0xEE, 0xF4, 0xFF));
        using var typeface = SKTypeface.FromFile(Path.Combine(CardFaceArtwork.FontFolder, "NotoSansCJK-Regular.ttc"), 0);
        using var font = new SKFont(typeface, 34);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText("ポイントカード No." + (123456 + seed), 40, 90, SKTextAlign.Left, font, paint);
        canvas.DrawText("2031年 4月 1日まで有効", 40, 300, SKTextAlign.Left, font, paint);
        canvas.DrawText("会員番号 0042 1234 " + seed, 40, 380, SKTextAlign.Left, font, paint);
        canvas.DrawText("発行 2024年 4月 1日", 620, 430, SKTextAlign.Left, font, paint);
        return bitmap;
    }
}
