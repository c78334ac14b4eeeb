using Reader.HardwareSim.Card;
using Reader.HardwareSim.CardFace;

namespace Reader.CardFace.Tests;

/// <summary>
/// The card-face camera draws a still card once per placement and exposes each frame from it: its frames must be the
/// very frames <see cref="TrayCamera.Render"/> makes, frame by frame, across placements (the mixed effects: glare,
/// cover, a finger over a corner, blur, low light) and insertions.
/// </summary>
public sealed class CardFaceCameraFrameTests
{
    [Fact]
    public void Frames_of_a_still_card_are_the_frames_render_makes()
    {
        using var identity = new VirtualCardIdentity("frames", new VirtualCardSpec());
        using var artwork = CardFaceCamera.Draw(identity);
        long insertion = 1;
        using var camera = new CardFaceCamera(() => (identity, insertion), CardFaceEffects.Mix, seed: 7);
        for (; insertion <= 6; insertion++)
        {
            for (var frame = 0; frame < 3; frame++)
            {
                using var filmed = camera.Capture();
                using var rendered = TrayCamera.Render(artwork, camera.CurrentPlacement!, frame);
                Assert.True(filmed.Pixels.SequenceEqual(rendered.Pixels), $"insertion {insertion}, frame {frame} differs from TrayCamera.Render");
            }
        }
    }

    [Fact]
    public void A_card_prepared_as_it_is_placed_is_drawn_before_its_first_frame_and_films_the_same_frames()
    {
        using var identity = new VirtualCardIdentity("prepared", new VirtualCardSpec());
        using var artwork = CardFaceCamera.Draw(identity);
        (VirtualCardIdentity, long)? onTray = null;
        using var prepared = new CardFaceCamera(() => onTray, CardFaceEffects.Mix, seed: 7);
        using var unprepared = new CardFaceCamera(() => onTray, CardFaceEffects.Mix, seed: 7);
        for (long insertion = 1; insertion <= 4; insertion++)
        {
            using (prepared.Capture())
            {
                // The tray still empty while the card is on its way: the camera draws it now, not at the first frame showing it.
            }

            var drawn = prepared.ScenesDrawn;
            prepared.Prepare(identity, insertion);
            Assert.Equal(drawn + 1, prepared.ScenesDrawn);
            onTray = (identity, insertion);
            using var first = prepared.Capture();
            Assert.Equal(drawn + 1, prepared.ScenesDrawn);
            using var same = unprepared.Capture();
            Assert.Equal(unprepared.CurrentPlacement! with { CornerJitterMm = [] }, prepared.CurrentPlacement! with { CornerJitterMm = [] });
            Assert.True(first.Pixels.SequenceEqual(same.Pixels), $"insertion {insertion}: the prepared card's first frame differs from one drawn on first sight");
            onTray = null;
        }
    }

    [Fact]
    public void New_effects_place_a_prepared_card_again()
    {
        using var identity = new VirtualCardIdentity("replayed", new VirtualCardSpec());
        (VirtualCardIdentity, long)? onTray = null;
        using var camera = new CardFaceCamera(() => onTray, CardFaceEffects.Clean, seed: 7);
        camera.Prepare(identity, 1);
        camera.Play(CardFaceEffects.Mix, seed: 11);
        onTray = (identity, 1);
        using var again = new CardFaceCamera(() => onTray, CardFaceEffects.Mix, seed: 11);
        using var first = camera.Capture();
        using var expected = again.Capture();
        Assert.True(first.Pixels.SequenceEqual(expected.Pixels), "the card kept the placement prepared before the new effects");
    }

    [Fact]
    public void The_empty_tray_is_the_frame_render_empty_makes()
    {
        using var camera = new CardFaceCamera(() => null);
        using var filmed = camera.Capture();
        using var rendered = TrayCamera.RenderEmpty(1);
        Assert.True(filmed.Pixels.SequenceEqual(rendered.Pixels));
    }
}
